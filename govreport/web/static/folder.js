/* Folder mode: new agency, render all, aggregate. */
"use strict";
(function () {
  const status = document.getElementById("folder-status");
  function formData(form) {
    const data = {};
    new FormData(form).forEach(function (value, key) { data[key] = String(value); });
    return data;
  }
  async function submit(url, body, busy) {
    say(status, busy, "busy");
    const result = await postJSON(url, body);
    if (!result.ok) { say(status, result.data.error || "操作失败", "error"); return null; }
    return result.data;
  }
  const newForm = document.getElementById("new-form");
  newForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    const data = await submit("/api/new", formData(newForm), "正在新建…");
    if (data) window.location.href = data.url;
  });
  const sumForm = document.getElementById("aggregate-form");
  sumForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    const data = await submit("/api/aggregate", formData(sumForm), "正在汇总…");
    if (data) window.location.href = data.url;
  });
  const renderAll = document.getElementById("render-all");
  if (renderAll) renderAll.addEventListener("click", async function () {
    const data = await submit("/api/render-all", {}, "正在生成全部报告…");
    if (!data) return;
    let text = "已生成 " + data.rendered + " 份报告";
    if (data.failed.length) {
      text += "；未生成 " + data.failed.length + " 份：" +
        data.failed.map(function (f) { return f.file + "（" + f.reason + "）"; }).join("；");
    }
    say(status, text, data.failed.length ? "error" : "ok");
    if (!data.failed.length) setTimeout(function () { window.location.reload(); }, 1200);
  });
})();
