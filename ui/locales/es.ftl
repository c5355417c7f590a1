# Interfaz de escritorio de Countersign — español.
# Cada clave existe en en.ftl, fr.ftl y de.ftl con las mismas variables (un test lo comprueba).

## La ventana

nav-inbox = Bandeja
nav-escalations = Escalados
nav-activity = Actividad
nav-settings = Ajustes
nav-shortcuts = Atajos
toast-close = Clic para cerrar
shortcuts-title = Atajos de teclado
key-next-previous = ticket siguiente / anterior
key-open = abrir el ticket seleccionado
key-approve = aprobar el borrador y enviar
key-edit = editar el borrador y luego aprobar
key-reject = rechazar el borrador (con un motivo)
key-escalate = escalar el ticket
key-draft-with-ai = redactar una respuesta con IA (ticket sin borrador)
key-search = buscar en la bandeja de entrada
key-escape = cerrar el ticket o esta ayuda
key-help = mostrar u ocultar estos atajos
shortcut-draft-exists = Este ticket ya tiene un borrador pendiente
shortcut-no-ticket-for-d = Abrir un ticket sin borrador para redactar una respuesta con d
shortcut-no-draft = No hay borrador en pantalla: abrir un ticket con borrador para usar a, e o r (x escala cualquier ticket abierto)

## Cuentas atrás, insignias, sincronización

sla-days = { $days } d
sla-hours = { $hours } h { $minutes } min
sla-minutes = { $minutes } min
sla-overdue = vencido hace { $span }
badge-stale = borrador desactualizado
badge-present = { $names } lo tiene abierto
badge-drafts-waiting = { $count ->
    [one] { $count } borrador pendiente
   *[other] { $count } borradores pendientes
}
badge-escalated = escalado
sync-local-only = solo local
sync-local-only-title = Este perfil no está conectado a una plataforma: las decisiones se quedan en este puesto.
sync-platform = Plataforma { $platform }
sync-platform-error = Plataforma { $platform } — último error: { $error }
sync-not-signed-in = sin iniciar sesión
sync-online-synced = en línea · sincronizado { $ago }
sync-online = en línea
sync-offline-last = sin conexión · última sincronización { $ago }
sync-offline-never = sin conexión · nunca sincronizado
sync-not-yet = aún sin sincronizar
sync-first-loading = { $state } · cargando la primera sincronización
sync-first-loading-title = { $title } — la primera sincronización aún se está cargando: las búsquedas no encuentran nada de la plataforma hasta que termine

## Estados de los registros

ticket-status-open = Abierto
ticket-status-pending = Pendiente
ticket-status-solved = Resuelto
ticket-status-closed = Cerrado
priority-low = Baja
priority-normal = Normal
priority-high = Alta
priority-urgent = Urgente
channel-email = Correo
channel-chat = Chat
channel-web = Formulario web
channel-phone = Teléfono
invoice-status-draft = Borrador
invoice-status-finalized = Finalizada
invoice-status-voided = Anulada
invoice-status-skipped = Omitida
payment-status-pending = Pago pendiente
payment-status-processing = Procesando
payment-status-succeeded = Pagado
payment-status-failed = Pago fallido
payment-status-refunded = Reembolsado
payment-status-partially-refunded = Reembolsado parcialmente
payment-status-overpaid = Pagado de más
payment-status-voided = Pago anulado
subscription-status-active = Activa
subscription-status-trialing = En prueba
subscription-status-past-due = Vencida
subscription-status-paused = Pausada
subscription-status-cancelled = Cancelada
billing-period-monthly = mes
billing-period-annual = año
payment-method-card = Tarjeta
payment-method-sepa-debit = Débito SEPA
payment-method-bank-transfer = Transferencia bancaria
payment-method-wallet = Monedero
action-refund = Reembolso
action-credit-note = Nota de crédito
action-void-invoice = Anular factura
action-waive-fee = Condonar cargo
action-other = Otro
escalation-status-pending = Pendiente
escalation-status-approved = Aprobado
escalation-status-denied = Denegado
draft-status-pending-review = pendiente de revisión
draft-status-stale = desactualizado — requiere nueva revisión
draft-status-approved = aprobado
draft-status-rejected = rechazado
role-agent = Agente
role-supervisor = Supervisor
token-scope-read = solo lectura
token-scope-draft = lectura + propuestas
cited-customer = cliente
cited-invoice = factura
cited-payment = pago
cited-message = mensaje
cited-article = artículo
claim-amount = importe
claim-invoice-number = número de factura
claim-date = fecha
intent-duplicate-charge = un cargo duplicado
intent-failed-payment = un pago fallido
intent-overdue = una factura vencida
intent-refund = una solicitud de reembolso
intent-vat = una consulta sobre el IVA
intent-invoice-copy = una copia de factura
intent-cancel = una cancelación
intent-plan-change = un cambio de plan
intent-other = otra cosa

## Barra de estado

close = Cerrar
status-mcp-on = MCP activo en :{ $port }
status-mcp-off = MCP inactivo: { $error }
status-mcp-disabled = MCP desactivado
status-no-client = ningún cliente MCP conectado
status-clients = { $count ->
    [one] { $count } cliente MCP: { $names }
   *[other] { $count } clientes MCP: { $names }
}
status-profile = perfil { $profile }
status-outbox-title = Decisiones en cola para la plataforma, aún no entregadas
status-outbox = bandeja de salida { $count }
status-notices-title = La plataforma rechazó o modificó una acción hecha en este puesto
status-notices = { $count ->
    [one] { $count } aviso de sincronización
   *[other] { $count } avisos de sincronización
}
notices-none = No hay avisos de sincronización.
notices-title = Avisos de sincronización

## Bandeja de entrada

inbox-search-placeholder = Buscar tickets  /
inbox-mine = Míos
inbox-unassigned = Sin asignar
inbox-all = Todos
inbox-needs-review = Por revisar
inbox-snoozed = Pospuestos
inbox-breaks-next = Vence antes
inbox-breaks-next-hint = Tickets abiertos con un SLA en curso, primero el que vence antes (los vencidos arriba)
snooze = Posponer…
snooze-later = Más tarde hoy (3 h)
snooze-tomorrow = Mañana por la mañana
snooze-monday = El próximo lunes
snoozed-until = Pospuesto hasta { $until }
wake = Reactivar
woken = De vuelta en la bandeja
inbox-any-status = Cualquier estado
inbox-loading = Cargando la bandeja de entrada…
inbox-newer = ← Más recientes
inbox-older = Más antiguos →
inbox-empty = Ningún ticket coincide. Probar con otro filtro.
sla-title = Tiempo restante hasta el objetivo del SLA

## Ticket

ticket-opening = Abriendo el ticket…
ticket-close = Cerrar (Esc)
ticket-sla = SLA { $left }
ticket-escalate = Escalar…
ticket-internal-note = nota interna
move-open = Abrir
move-reopen = Reabrir
move-pending = Esperando al cliente
move-solved = Resolver
move-closed = Cerrar
closed-final = Cerrado: si el cliente vuelve a escribir, se abre un ticket nuevo.
priority-field = Prioridad
status-set = Estado: { $status }
priority-set = Prioridad: { $priority }
assignee-field = Asignado a
assignee-nobody = Nadie
assignee-me = { $name } (yo)
assign-to-me = Me lo quedo
assigned-to = Asignado a { $name }
assigned-to-nobody = Sin asignar

## El borrador

drafted-by = Redactado por { $author }
drafted-flagged = { $count ->
    [one] { $count } cifra no coincide con ningún registro, revisarla
   *[other] { $count } cifras no coinciden con ningún registro, revisarlas
}
draft-failed = No se pudo redactar: { $error }
no-draft = No hay ningún borrador pendiente.
drafting = Redactando…
draft-with-ai = Redactar con IA
no-draft-help = El redactor del puesto escribe a partir de los registros de este cliente; los asistentes conectados por MCP también pueden enviar borradores.
model-not-given = modelo no indicado
generation-ms = { $ms } ms
generation-tokens = { $input } + { $output } tokens
generation-intent = interpretado como { $intent }
confidence = confianza
fell-back = Se usó el respaldo: { $why }
grounding-ok = { $count ->
    [one] La única cifra indicada coincide con los registros.
   *[other] Las { $count } cifras indicadas coinciden con los registros.
}
grounding-flags = Sin respaldo en ningún registro — revisar antes de enviar:
approved-queued = Aprobado — la respuesta está en cola para enviarse
draft-rejected = Borrador rechazado
rereviewed = Revisado de nuevo: el borrador está vinculado a los registros actuales
ai-draft = Borrador de IA
stale = Desactualizado:
suggested-escalation = Al aprobar también se crea un escalado ({ $action }, { $amount }) para que lo decida un supervisor.
approve-edited = Aprobar cambios y enviar
cancel = Cancelar
reject-reason = ¿Por qué? (se guarda con la decisión)
reject = Rechazar
stale-approve-title = Un borrador desactualizado debe revisarse de nuevo antes
approve = Aprobar y enviar
rereview = Revisar de nuevo con los registros actuales
edit = Editar
no-citations = Sin citas.
cites = Citas
earlier-drafts = Borradores anteriores
decided-by = por { $who }
edited = editado
diff-title = Cambios en el borrador de IA antes del envío
diff-removed = en el borrador de IA, no enviado
diff-added = añadido por el revisor

## Escribir en un ticket

reply-queued = Respuesta en cola para enviarse
note-added = Nota interna añadida
compose-reply = Responder al cliente
compose-note = Nota interna
compose-reply-placeholder = Escribir una respuesta — queda en cola para enviarse al cliente
compose-note-placeholder = Nota interna — el cliente nunca la ve
compose-send-reply = Enviar respuesta
presence-viewing = { $name } está viendo este ticket
presence-replying = { $name } está respondiendo a este ticket
attachment-save = Guardar
attachment-save-hint = Guardar este archivo desde la plataforma en tu carpeta de descargas (no se abre)
attachment-saved = Guardado en { $path }
merge-into = Fusionar con…
merge-hint = Fusionar este ticket con otro de este cliente: su conversación pasa allí y se cierra
merge-confirm = Fusionar con «{ $subject }»
merged = Fusionado con «{ $subject }»
merged-into = Este ticket se fusionó con otro ticket del cliente; su conversación está allí.
merged-open = Abrirlo
saved-replies = Respuestas guardadas
saved-hint = Inserta una respuesta guardada: escribe # y una palabra en la respuesta, o pulsa aquí
saved-search = Buscar respuestas guardadas
saved-none = Ninguna respuesta guardada coincide.
saved-mine = mía
saved-delete = Borrar esta respuesta guardada tuya
saved-title = Título
saved-keep = Guardar este texto como respuesta mía
saved-kept = Respuesta guardada.
saved-deleted = Respuesta guardada borrada.
saved-inserted = Respuesta guardada insertada: léela y luego envía.
saved-missing = Insertada. Los registros no tienen valor para { $names }: escríbelo antes de enviar.
compose-add-note = Añadir nota
escalation-raised = Escalado creado
escalate = Escalar
esc-invoice-placeholder = Número o id de factura
esc-amount-placeholder = Importe, p. ej. 19,99
esc-reason-placeholder = Motivo
esc-raise = Crear escalado

## El cliente y sus registros

synced-ago = sincronizado { $ago }
not-synced = solo local (aún sin sincronizar)
local-record = solo en este puesto (sin plataforma)
customer-loading = Cargando el cliente…
customer = Cliente
plan = Plan
wallet = Monedero { $balance }
unpaid = Sin pagar { $amount } ({ $count })
overdue-total = vencido { $amount } ({ $count })
invoices = Facturas
due = vence el { $date }
overdue = vencida
payments = Pagos
invoice-title = Factura { $number }
invoice-open = Abrir esta factura
invoice-total = total { $amount }
invoice-remaining = pendiente { $amount }
record-version = versión { $version }
cited-elsewhere = { $kind } { $id } (versión { $version }) — se muestra en la conversación y en el panel del cliente
cited-changed = cambió desde el borrador: versión { $from } → { $to }
loading = Cargando…

## Escalados

escalations-loading = Cargando escalados…
nothing-here = No hay nada aquí.
escalation-approved = Escalado aprobado
escalation-denied = Escalado denegado
invoice-ref = factura { $number }
raised-by = creado por { $who } · { $ago }
decided-by-person = decidido por { $who }
esc-note-placeholder = Nota (obligatoria para denegar)
esc-approve = Aprobar
esc-deny = Denegar
execution-unconnected = No ejecutado: no hay conector de facturación
execution-queued = En curso en el sistema de facturación…
execution-retrying = Reintentando en facturación: { $reason }
execution-executed = Ejecutado en facturación ({ $reference })
execution-failed = Falló en facturación: { $reason }
esc-retry = Reintentar en facturación
execution-retry-queued = Reintento en cola
delivery-unconnected = No entregado: no hay canal de correo
delivery-queued = Enviando al cliente…
delivery-retrying = Reenviando: { $reason }
delivery-sent = Entregado al servidor de correo del cliente
delivery-sent-unconfirmed = Entregado al servidor de correo, sin confirmar: { $reason }
delivery-failed = No entregado: { $reason }
esc-also-pending = { $count ->
    [one] Hay otro escalado pendiente sobre esta factura: comprobar que no es el mismo reembolso dos veces.
   *[other] Hay otros { $count } escalados pendientes sobre esta factura: comprobar que no es el mismo reembolso dos veces.
}

## Actividad

activity-filter = Filtrar por acción, actor u objeto
activity-loading = Leyendo el registro de auditoría…
chain-ok = { $count ->
    [one] Cadena de auditoría verificada — { $count } entrada intacta
   *[other] Cadena de auditoría verificada — { $count } entradas intactas
}
chain-broken = Cadena de auditoría rota en { $at }
audit-when = Cuándo
audit-who = Quién
audit-action = Acción
audit-subject = Objeto
audit-outcome = Resultado

## Ajustes

settings-loading = Cargando los ajustes…
setting-saved = Guardado
profile = Perfil
name = Nombre
role = Rol
refund-cap = Límite de reembolso del agente
refund-cap-none = ninguno: deciden los supervisores
platform-owned = Los define la plataforma con la que se inició sesión; se cambian allí, no en este puesto.
save-name = Guardar nombre
refund-cap-field = Límite de reembolso del agente (0 = solo supervisores)
save-cap = Guardar límite
mcp-endpoint = Endpoint MCP
listening-on = Escuchando en
off = Desactivado
port = Puerto
save-port = Guardar puerto
turn-off = Desactivar
turn-on = Activar
mcp-stdio-help = Los asistentes que inician Countersign por sí mismos (stdio) no necesitan endpoint: `countersign connect claude-desktop`.
mcp-test = Probar la conexión
mcp-test-ok = El punto de conexión responde, en { $ms } ms, y pide un token como debe.
connect-title = Conectar un asistente
connect-help = La forma más sencilla: el asistente arranca Countersign él mismo sobre este puesto (stdio), sin token ni servidor. Pegar esto en su archivo de configuración y reiniciarlo.
mcp-tokens-help = Para clientes que llaman a una URL (Cursor, VS Code) a través del punto de conexión de arriba: crear un token y pegar su configuración.
copy = Copiar
copied = Copiado
copy-failed = No se pudo copiar: seleccionar el texto y copiarlo a mano
notifications = Notificaciones
notifications-on = Una notificación de escritorio cuando un asistente envía un borrador mientras la ventana está en segundo plano.
notifications-off = Desactivadas: los borradores siguen apareciendo en directo en la bandeja de entrada, sin notificación de escritorio.
mcp-tokens = Tokens MCP
token-used = usado { $ago }
token-never-used = nunca usado
token-revoked = revocado
token-revoked-done = Token revocado
revoke = Revocar
token-name-placeholder = Nombre del token, p. ej. Cursor
create-token = Crear token
token-shown-once = Copiar este token ahora — solo se muestra una vez:

## Redacción y proveedores de IA

drafting-title = Redacción
auto-draft-on = Cuando un cliente escribe, el puesto redacta por sí solo una respuesta para revisarla.
auto-draft-off = Desactivado: usar Redactar con IA (d) en un ticket para obtener un borrador.
auto-providers-on = La redacción automática consulta primero a los proveedores de IA de abajo (pueden ser de pago).
auto-providers-off = La redacción automática usa el redactor sin conexión; Redactar con IA consulta primero a los proveedores de abajo.
auto-providers-turn-off = Solo sin conexión en la redacción automática
auto-providers-turn-on = Usar proveedores en la redacción automática
provider-added = { $name } añadido
providers-title = Proveedores de IA
providers-help = Redactar con IA los consulta en orden; si uno falla, responde el siguiente, y el redactor sin conexión siempre responde el último. Las claves se guardan en el llavero del sistema.
provider-key-in-keyring = clave en el llavero del sistema
provider-no-key = sin clave
provider-up = Consultar este antes
provider-order-saved = Orden guardado
provider-answered = { $name } respondió en { $ms } ms
provider-testing = Probando…
provider-test = Probar
provider-removed = Eliminado; se olvidó su clave
provider-remove = Eliminar
provider-last = último
provider-on-this-machine = en este equipo
provider-no-key-needed = no requiere clave
provider-name-placeholder = Nombre, p. ej. claude
provider-kind-openai = Compatible con OpenAI (OpenAI, Azure, OpenRouter, Ollama, llama.cpp, vLLM, LM Studio)
provider-url-placeholder = URL base (vacía: el endpoint público)
provider-model-placeholder = Modelo, p. ej. gpt-4o-mini
provider-key-placeholder = Clave de API (ninguna para un servidor local)
provider-add = Añadir proveedor

## Idioma

language = Idioma
language-field = La ventana se muestra en
language-system = El del sistema ({ $name })
language-help = Las fechas, los números y los importes también siguen el idioma. Los borradores para los clientes se escriben en el idioma del cliente, diga lo que diga este ajuste.

## Primer inicio

welcome-title = Bienvenido a Countersign
welcome-demo = Este es un puesto de demostración: sus clientes, facturas y tickets son inventados, y nada de lo que se haga aquí sale de este ordenador.
welcome-drafts = Los borradores que esperan en la bandeja los ha escrito el redactor sin conexión del puesto a partir de los datos de cada cliente. Nada llega a un cliente hasta que se aprueba: abrir un ticket y pulsar a para aprobar, e para editar, r para rechazar.
welcome-assistant = Para que un asistente de IA (Claude Desktop, Cursor, VS Code) lea este puesto y proponga borradores, ejecutar `countersign connect claude-desktop` y pegar lo que muestra en los ajustes del asistente; en Ajustes › Tokens MCP están las demás opciones.
welcome-ok = Empezar a trabajar

## Rechazos, dichos como lo diría una persona (el código sigue entre paréntesis)
problem-required = { $field ->
    [title] Pon un título a la respuesta guardada.
    [body] Escribe primero el texto de la respuesta.
    [reason] Di por qué, en pocas palabras.
   *[note] Di por qué lo deniegas: la nota llega a quien la planteó.
}
problem-too-long = { $field ->
    [title] El título
    [body] La respuesta
    [reason] El motivo
   *[note] La nota
} tiene { $chars } caracteres; caben { $max } como máximo.
problem-already-decided = { $what ->
    [draft] { $by } ya decidió este borrador: { $status }, { $at }.
   *[escalation] { $by } ya decidió esta escalación: { $status }, { $at }.
}
problem-draft-stale = Los registros cambiaron después de escribir este borrador ({ $why }). Vuelve a revisarlo antes de aprobarlo.
problem-ticket-changed = Este ticket cambió después de abrirlo. Léelo de nuevo y luego decide.
problem-over-cap = { $action } de { $amount }: un agente puede aprobar hasta { $cap }; debe decidir un supervisor.
problem-no-cap = { $action } de { $amount }: debe decidir un supervisor (este escritorio no fija importe que los agentes puedan aprobar).
problem-supervisor-only = { $action }: solo un supervisor puede decidir esta escalación.
problem-approve-own = { $action }: usted creó esta escalación, así que la aprueba otro supervisor. Todo movimiento de dinero lo ven dos personas.
problem-role-cap = { $action } de { $amount }: su rol aprueba hasta { $cap } según la política del equipo.
problem-second-approver = { $action } de { $amount }: usted dio la primera aprobación; por encima del umbral de dos personas del equipo, la segunda la da otro supervisor.
escalation-first-approval = Aprobada por { $who }: falta la aprobación de un segundo supervisor
problem-exceeds-invoice = { $amount } es más de lo que permite la factura { $invoice } ({ $allowed }).
problem-closed-is-final = Un ticket cerrado es definitivo: no puede cambiar de estado.
problem-solve-before-closing = Resuelve el ticket antes de cerrarlo.
problem-status-move = Un ticket no puede pasar de { $from } a { $to }.
problem-same-priority = El ticket ya tiene prioridad { $priority }.
problem-ticket-closed = Este ticket está cerrado y no admite respuestas; si el cliente vuelve a escribir, se abre un ticket nuevo.
problem-unknown-agent = Esa persona no es agente de tu equipo.
problem-snooze-in-the-past = Elige un momento que aún no haya pasado.
problem-not-snoozed = Este ticket no está pospuesto.
problem-already-assigned = Este ticket ya está asignado a { $name }.
problem-already-unassigned = Este ticket ya está sin asignar.
problem-unfilled-variable = La respuesta aún contiene { $name }: escribe lo que corresponde y luego envía.
problem-unknown-variable = { $name } no es una variable que una respuesta guardada pueda usar.
problem-unknown-language = Elige inglés, español, francés o alemán.
problem-cannot-merge = { $why ->
    [same] Un ticket se fusiona con otro, no consigo mismo.
    [customer] Solo se pueden fusionar tickets del mismo cliente.
    [merged] Uno de estos tickets ya se fusionó.
   *[closed] Uno de estos tickets está cerrado, y eso es definitivo.
}
error-not-found = Ya no está en este escritorio: { $detail }
error-invalid = No aceptado: { $detail }
error-forbidden = No permitido: { $detail }
error-unauthenticated = Vuelve a iniciar sesión: { $detail }
error-stale = Cambió entretanto: { $detail }
error-conflict = Ya estaba hecho: { $detail }
error-rate-limited = Demasiadas solicitudes a la vez; espera un momento y vuelve a intentarlo.
error-unavailable = No disponible ahora, vuelve a intentarlo: { $detail }
error-internal = Algo salió mal: { $detail }
