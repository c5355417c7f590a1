//! A "Copy" button: puts a snippet or a token on the clipboard (the async Clipboard API, or the
//! older selection copy where the webview lacks it) and says so.

use crate::app::use_ui;
use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

async fn write(text: &str) -> Result<(), JsValue> {
    let clipboard = Reflect::get(&window().navigator(), &"clipboard".into())?;
    if !clipboard.is_undefined() {
        let write: Function = Reflect::get(&clipboard, &"writeText".into())?.dyn_into()?;
        let promise: Promise = write.call1(&clipboard, &text.into())?.dyn_into()?;
        if JsFuture::from(promise).await.is_ok() {
            return Ok(());
        }
    }
    select_and_copy(text)
}

/// `document.execCommand("copy")` on a hidden text area holding `text`.
fn select_and_copy(text: &str) -> Result<(), JsValue> {
    let doc = document();
    let area = doc.create_element("textarea")?;
    area.set_text_content(Some(text));
    let body = doc.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&area)?;
    let select: Function = Reflect::get(&area, &"select".into())?.dyn_into()?;
    select.call0(&area)?;
    let exec: Function = Reflect::get(&doc, &"execCommand".into())?.dyn_into()?;
    let copied = exec.call1(&doc, &"copy".into())?;
    area.remove();
    if copied.as_bool() == Some(true) {
        Ok(())
    } else {
        Err(JsValue::from_str("copy refused"))
    }
}

#[component]
pub fn CopyButton(text: String, #[prop(optional)] id: Option<&'static str>) -> impl IntoView {
    let ui = use_ui();
    let copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move {
            match write(&text).await {
                Ok(()) => ui.say(false, tr!("copied")),
                Err(_) => ui.say(true, tr!("copy-failed")),
            }
        });
    };
    view! { <button class="ghost copy" id=id on:click=copy>{tr!("copy")}</button> }
}
