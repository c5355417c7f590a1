//! The bridge to the shell: `invoke` a command with serde arguments, `listen` to events.
//! Errors come back as the shell's `{code, message}`.

use countersign_model::ErrorCode;
use countersign_model::ipc::IpcError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], catch)]
    async fn listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>)
    -> Result<JsValue, JsValue>;
}

/// A failed command, displayable and usable in an `ErrorBoundary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiError(pub IpcError);

/// What a person reads: the refusal in their language, its code kept in brackets.
impl std::fmt::Display for UiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::problems::say(&self.0))
    }
}

impl std::error::Error for UiError {}

impl UiError {
    fn internal(message: String) -> Self {
        Self(IpcError {
            code: ErrorCode::Internal,
            message,
            problem: None,
        })
    }
}

/// Calls shell command `cmd` with `args` (an object whose keys are the command's parameters).
pub async fn call<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, UiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args
        .serialize(&serializer)
        .map_err(|e| UiError::internal(format!("cannot encode {cmd} arguments: {e}")))?;
    match invoke(cmd, args).await {
        Ok(v) => serde_wasm_bindgen::from_value(v)
            .map_err(|e| UiError::internal(format!("unexpected {cmd} reply: {e}"))),
        Err(e) => Err(
            match serde_wasm_bindgen::from_value::<IpcError>(e.clone()) {
                Ok(err) => UiError(err),
                Err(_) => UiError::internal(
                    e.as_string()
                        .unwrap_or_else(|| format!("{cmd} failed: {e:?}")),
                ),
            },
        ),
    }
}

/// Calls `handler` with each `event`'s payload for as long as the page lives.
pub fn on_event<T: DeserializeOwned + 'static>(event: &'static str, handler: impl Fn(T) + 'static) {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let payload =
            js_sys::Reflect::get(&e, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        match serde_wasm_bindgen::from_value::<T>(payload) {
            Ok(p) => handler(p),
            Err(err) => web_sys::console::warn_1(&format!("bad {event} payload: {err}").into()),
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = listen(event, &closure).await {
            web_sys::console::error_1(&e);
        }
        // The listener lives as long as the window.
        closure.forget();
    });
}

/// Milliseconds since the epoch, from the browser's clock.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}
