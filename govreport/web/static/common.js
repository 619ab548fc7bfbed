/* govreport editor: shared helpers. Hand-written, no libraries, works offline. */
"use strict";

/** POST JSON to the editor's own server; resolves to {ok, status, data}. */
async function postJSON(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (e) {
    return { ok: false, status: 0, data: { error: "无法连接编辑器：请确认启动编辑器的命令窗口仍在运行" } };
  }
  let data = {};
  try { data = await response.json(); } catch (e) { data = { error: "服务器返回了无法识别的内容" }; }
  return { ok: response.ok, status: response.status, data: data };
}

/** Set the text of a status element, with a kind (ok | error | busy). */
function say(element, text, kind) {
  if (!element) return;
  element.textContent = text;
  element.className = "status " + (kind || "");
}
