//! The provider clients against real HTTP: fake OpenAI-compatible and Anthropic servers built
//! from the published API shapes, one server per test, scripted request by request.

mod anthropic;
mod chain;
mod config;
mod openai;
mod scenarios;

/// Runs every scenario of [`scenarios`] as a test of its own for one provider kind.
macro_rules! scenario_tests {
    ($flavor:expr => $($name:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                crate::scenarios::$name($flavor).await;
            }
        )+
    };
}
pub(crate) use scenario_tests;
