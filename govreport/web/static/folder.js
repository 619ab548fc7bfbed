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
  const results = document.getElementById("render-results");
  function resultItem(agency, file, link, text, kind) {
    const item = document.createElement("li");
    item.className = kind;
    const who = document.createElement("span");
    who.textContent = (agency || file) + (agency ? "（" + file + "）" : "") + "：";
    item.appendChild(who);
    if (link) {
      const a = document.createElement("a");
      a.href = link.url;
      a.textContent = link.report;
      a.setAttribute("download", "");
      item.appendChild(a);
    } else {
      item.appendChild(document.createTextNode(text));
    }
    return item;
  }
  if (renderAll) renderAll.addEventListener("click", async function () {
    const data = await submit("/api/render-all", {}, "正在生成全部报告…");
    if (!data) return;
    let text = "已生成 " + data.rendered + " 份报告";
    if (data.failed.length) text += "；未生成 " + data.failed.length + " 份";
    say(status, text, data.failed.length ? "error" : "ok");
    results.textContent = "";
    data.reports.forEach(function (r) {
      results.appendChild(resultItem(r.agency, r.file, r, "", "ok"));
      document.querySelectorAll("tr[data-file]").forEach(function (row) {
        if (row.dataset.file !== r.file) return;
        const cell = row.querySelector("td.report");
        const a = document.createElement("a");
        a.href = r.url;
        a.title = "下载 " + r.report;
        a.textContent = "已生成";
        cell.textContent = "";
        cell.appendChild(a);
      });
    });
    data.failed.forEach(function (f) {
      results.appendChild(resultItem(f.agency, f.file, null, f.reason, "problem error"));
    });
    results.hidden = false;
  });
})();
