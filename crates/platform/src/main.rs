//! The `countersign-platform` binary: migrates the database and serves the sync API, or (with
//! `admin …`) creates tenants, agents and tokens directly in the database for an operator. Every
//! failure ends as one line on stderr.

use clap::{Parser, Subcommand};
use countersign_model::workflow::Role;
use countersign_platform::billing::{SecretsKey, connector};
use countersign_platform::{
    Options, Platform, admin, connect, describe_url, migrate, saved_replies, sla,
};
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "countersign-platform",
    version,
    about = "The Countersign central platform: sync service for a tenant's desktops (PostgreSQL).",
    after_help = "Quick start:
  countersign-platform --database-url postgres://USER@127.0.0.1/countersign --admin-token \"$(openssl rand -hex 32)\"
  countersign-platform admin create-tenant --name Acme
  countersign-platform admin create-agent --tenant ten_… --name Alex --email alex@acme.test --role supervisor
  countersign-platform admin create-token --tenant ten_… --agent agt_… --name \"Alex's desktop\"
  countersign-platform admin create-ingest-token --tenant ten_… --name \"Billing webhook\"
The API is described at http://ADDR/openapi.json."
)]
struct Cli {
    /// PostgreSQL URL, e.g. postgres://USER:PASSWORD@HOST:5432/countersign.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Address to serve HTTP on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Token for the admin API (tenants, agents, tokens); without it the admin API is off.
    #[arg(long, env = "COUNTERSIGN_PLATFORM_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// 64 hex digits (`openssl rand -hex 32`), the same on every instance: seals the tenants'
    /// billing API keys in the database. Without it no billing connector can be set or used.
    #[arg(long, env = "COUNTERSIGN_SECRETS_KEY", global = true, hide_env_values = true, value_parser = parse_secrets_key)]
    secrets_key: Option<SecretsKey>,
    /// Longest wait for one call to the billing system (FlexPrice), in seconds.
    #[arg(long, default_value_t = 20)]
    billing_timeout_secs: u64,
    /// How long an execution or backfill page is held by the instance working on it, in seconds:
    /// after a crash another instance (or this one, restarted) takes it up then, asking the
    /// billing system what was done before sending anything. At least four call timeouts.
    #[arg(long, default_value_t = 180)]
    billing_lease_secs: u64,
    /// Longest wait for one exchange with a tenant's SMTP server, in seconds.
    #[arg(long, default_value_t = 30)]
    mail_timeout_secs: u64,
    /// How long a reply being sent is held by the instance sending it, in seconds: after a
    /// crash before the message was handed over, another instance (or this one, restarted)
    /// sends it then. At least four timeouts.
    #[arg(long, default_value_t = 300)]
    mail_lease_secs: u64,
    /// Most connections to PostgreSQL.
    #[arg(long, default_value_t = 20)]
    max_connections: u32,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create tenants, agents and tokens directly in the database.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create a tenant; prints its id.
    CreateTenant {
        #[arg(long)]
        name: String,
    },
    /// Create an agent of a tenant; prints its id.
    CreateAgent {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// agent or supervisor.
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Create an API token for an agent; prints the secret once.
    CreateToken {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        agent: String,
        #[arg(long)]
        name: String,
    },
    /// Create an ingest token for an integration (billing system, mail channel) of a tenant;
    /// it may call the tenant's /v1/ingest routes and nothing else. Prints the secret once.
    CreateIngestToken {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        name: String,
    },
    /// Revoke a desk or ingest token.
    RevokeToken { id: String },
    /// Create a saved reply every desk of the tenant can insert into its reply box; prints its
    /// id. Variables such as {{customer.first_name}} or {{invoice.number}} are filled on the desk.
    CreateSavedReply {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        title: String,
        /// en, es, fr or de.
        #[arg(long)]
        language: String,
        #[arg(long)]
        body: String,
    },
    /// Set the tenant's SLA policy from a JSON file (`-` reads stdin), the body of
    /// PUT /v1/admin/tenants/{tenant}/sla-policy; every ticket's due time follows it at once.
    /// Example: {"business_hours": {"time_zone": "Europe/Madrid", "days": ["mon", "tue", "wed",
    /// "thu", "fri"], "opens": "09:00", "closes": "18:00"}, "targets": {"urgent":
    /// {"first_response_minutes": 60, "resolution_minutes": 480}}}
    SetSlaPolicy {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// Connect the tenant to its FlexPrice: approved refunds, credit notes, fee waivers and voids
    /// are executed there from now on. The API key is read from a file (`-` reads stdin), never
    /// from the command line, and sealed with COUNTERSIGN_SECRETS_KEY before it is stored.
    SetBillingConnector {
        #[arg(long)]
        tenant: String,
        /// The API base, e.g. https://us.api.flexprice.io/v1.
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        api_key_file: std::path::PathBuf,
        /// The signing secret (whsec_…) of the FlexPrice webhook endpoint pointed at
        /// /v1/webhooks/flexprice/TENANT, from a file; without it webhooks are refused.
        #[arg(long)]
        webhook_secret_file: Option<std::path::PathBuf>,
    },
    /// Set the tenant's escalation policy from a JSON file (`-` reads stdin), the body of
    /// PUT /v1/admin/tenants/{tenant}/escalation-policy; every desk of the tenant applies it.
    /// Example: {"caps": {"agent": {"refund": {"EUR": "50.00"}}}, "two_person_above": {"EUR":
    /// "500.00"}, "self_approval": false}
    SetEscalationPolicy {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// Disconnect the tenant from its billing system.
    RemoveBillingConnector {
        #[arg(long)]
        tenant: String,
    },
}

fn parse_secrets_key(s: &str) -> Result<SecretsKey, String> {
    SecretsKey::from_hex(s)
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("countersign-platform: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli.database_url.as_deref().ok_or_else(|| {
        anyhow::anyhow!("no database: pass --database-url postgres://… or set DATABASE_URL")
    })?;
    let pool = connect(url, cli.max_connections).await?;
    migrate(&pool).await.map_err(|e| {
        anyhow::anyhow!("cannot migrate the database at {}: {e}", describe_url(url))
    })?;
    match cli.command {
        Some(Command::Admin(cmd)) => admin_command(&pool, cli.secrets_key.as_ref(), cmd).await,
        None => {
            if cli.billing_lease_secs < 4 * cli.billing_timeout_secs {
                anyhow::bail!(
                    "--billing-lease-secs ({}) must be at least four --billing-timeout-secs ({}): \
                     an attempt makes up to four calls and must end before its lease",
                    cli.billing_lease_secs,
                    cli.billing_timeout_secs
                );
            }
            if cli.mail_lease_secs < 4 * cli.mail_timeout_secs {
                anyhow::bail!(
                    "--mail-lease-secs ({}) must be at least four --mail-timeout-secs ({}): a \
                     session must end before its lease",
                    cli.mail_lease_secs,
                    cli.mail_timeout_secs
                );
            }
            let options = Options {
                admin_token: cli.admin_token,
                secrets: cli.secrets_key,
                executor: countersign_platform::billing::ExecutorConfig {
                    call_timeout: std::time::Duration::from_secs(cli.billing_timeout_secs),
                    lease: std::time::Duration::from_secs(cli.billing_lease_secs),
                    ..Default::default()
                },
                mail: countersign_platform::mail::MailConfig {
                    timeout: std::time::Duration::from_secs(cli.mail_timeout_secs),
                    lease: std::time::Duration::from_secs(cli.mail_lease_secs),
                    ..Default::default()
                },
                hooks: Default::default(),
            };
            serve(pool, cli.listen, options).await
        }
    }
}

async fn serve(pool: sqlx::PgPool, listen: SocketAddr, options: Options) -> anyhow::Result<()> {
    if options.admin_token.as_ref().is_some_and(|t| t.len() < 16) {
        anyhow::bail!("the admin token must be at least 16 characters");
    }
    let admin_api = options.admin_token.is_some();
    let billing = options.secrets.is_some();
    let platform = Platform::start(pool, options).await?;
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on {listen}: {e}; is another process using it? Choose one with --listen"
        )
    })?;
    tracing::info!(
        address = %listener.local_addr()?,
        admin_api,
        billing_connectors = billing,
        "countersign-platform serving; API described at /openapi.json"
    );
    platform.serve(listener, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn admin_command(
    pool: &sqlx::PgPool,
    secrets: Option<&SecretsKey>,
    cmd: AdminCommand,
) -> anyhow::Result<()> {
    let refused = |e: countersign_platform::error::Error| {
        anyhow::anyhow!("[{}] {}", e.code(), e.public_message())
    };
    match cmd {
        AdminCommand::CreateTenant { name } => {
            let t = admin::create_tenant(pool, &name).await.map_err(refused)?;
            println!("{}\t{}", t.id, t.name);
        }
        AdminCommand::CreateAgent {
            tenant,
            name,
            email,
            role,
        } => {
            let a = admin::create_agent(pool, &tenant, &name, &email, role)
                .await
                .map_err(refused)?;
            println!("{}\t{}\t{}\t{}", a.id, a.name, a.email, a.role);
        }
        AdminCommand::CreateToken {
            tenant,
            agent,
            name,
        } => {
            let t = admin::create_token(pool, &tenant, &agent, &name)
                .await
                .map_err(refused)?;
            eprintln!(
                "token {} created for agent {}; the secret below is shown once, only its hash is kept:",
                t.id, t.agent_id
            );
            println!("{}", t.secret);
        }
        AdminCommand::CreateIngestToken { tenant, name } => {
            let t = admin::create_ingest_token(pool, &tenant, &name)
                .await
                .map_err(refused)?;
            eprintln!(
                "ingest token {} created for tenant {}; the secret below is shown once, only its hash is kept:",
                t.id, t.tenant_id
            );
            println!("{}", t.secret);
        }
        AdminCommand::RevokeToken { id } => {
            admin::revoke_token(pool, &id).await.map_err(refused)?;
            println!("revoked {id}");
        }
        AdminCommand::CreateSavedReply {
            tenant,
            title,
            language,
            body,
        } => {
            let input = saved_replies::PutSavedReply {
                reply: countersign_model::saved_replies::SaveReply {
                    title,
                    language,
                    body,
                },
                active: true,
            };
            let r = saved_replies::put(pool, &tenant, None, &input)
                .await
                .map_err(refused)?;
            println!("{}\t{}\t{}", r.id, r.language, r.title);
        }
        AdminCommand::SetSlaPolicy { tenant, file } => {
            let text = read_input(&file)?;
            let input: sla::PolicyInput = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{} is no SLA policy: {e}", input_name(&file)))?;
            let set = sla::put(pool, &tenant, &input).await.map_err(refused)?;
            println!(
                "SLA policy of {tenant} set; {} ticket due time(s) moved",
                set.tickets_moved
            );
        }
        AdminCommand::SetBillingConnector {
            tenant,
            base_url,
            api_key_file,
            webhook_secret_file,
        } => {
            let api_key = read_input(&api_key_file)?;
            let webhook_secret = webhook_secret_file
                .as_deref()
                .map(read_input)
                .transpose()?
                .map(|w| w.trim().to_owned());
            let input = connector::ConnectorInput {
                kind: "flexprice".into(),
                base_url,
                api_key: api_key.trim().to_owned(),
                webhook_secret,
            };
            let c = connector::put(pool, secrets, &tenant, &input)
                .await
                .map_err(refused)?;
            println!(
                "billing connector of {tenant} set: {} at {} (API key sealed; webhooks {})",
                c.kind,
                c.base_url,
                if c.webhooks {
                    "taken at /v1/webhooks/flexprice/".to_owned() + &tenant
                } else {
                    "off".into()
                }
            );
        }
        AdminCommand::SetEscalationPolicy { tenant, file } => {
            let text = read_input(&file)?;
            let policy = serde_json::from_str(&text)
                .map_err(|e| e.to_string())
                .and_then(|v| countersign_model::escalation_rules::Policy::from_operator(&v))
                .map_err(|e| {
                    anyhow::anyhow!("{} is no escalation policy: {e}", input_name(&file))
                })?;
            let set = countersign_platform::policy::put(pool, &tenant, &policy)
                .await
                .map_err(refused)?;
            println!(
                "escalation policy of {tenant} set (version {}); its desks apply it from their next sync",
                set.version
            );
        }
        AdminCommand::RemoveBillingConnector { tenant } => {
            let c = connector::delete(pool, &tenant).await.map_err(refused)?;
            println!("billing connector of {tenant} ({}) removed", c.base_url);
        }
    }
    Ok(())
}

/// A file's text, or stdin's for `-`.
fn read_input(file: &std::path::Path) -> anyhow::Result<String> {
    if file.as_os_str() == "-" {
        Ok(std::io::read_to_string(std::io::stdin())?)
    } else {
        std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))
    }
}

fn input_name(file: &std::path::Path) -> String {
    if file.as_os_str() == "-" {
        "stdin".into()
    } else {
        file.display().to_string()
    }
}
