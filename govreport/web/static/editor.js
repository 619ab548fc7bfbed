/* The editor page: totals as you type, the server's check (debounced), save, outputs.
   Hand-written and small on purpose: no framework, nothing loaded from elsewhere. */
"use strict";
(function () {
  const root = document.getElementById("editor");
  if (!root) return;
  const file = root.dataset.file;
  let version = root.dataset.version;
  let dirty = false;
  let timer = null;
  let round = 0;
  const DEBOUNCE_MS = 400;
  const inputs = Array.from(document.querySelectorAll("[data-field]"));
  const saveStatus = document.getElementById("save-status");

  function values() {
    const found = {};
    inputs.forEach(function (input) { found[input.dataset.field] = input.value; });
    return found;
  }

  // ---------------------------------------------------------------- computed totals
  function number(text) {
    const t = text.trim();
    if (t === "") return 0;
    return /^\d+$/.test(t) ? parseInt(t, 10) : NaN;
  }
  function updateSums() {
    document.querySelectorAll("[data-sum]").forEach(function (cell) {
      let total = 0;
      cell.dataset.sum.split(" ").forEach(function (id) {
        const input = document.getElementById("f-" + id);
        total += input ? number(input.value) : 0;
      });
      cell.textContent = isNaN(total) ? "—" : String(total);
      cell.title = isNaN(total) ? "有单元格不是整数，无法计算" : "自动计算，不能修改";
    });
  }

  // ---------------------------------------------------------------- problems
  function clearMarks() {
    document.querySelectorAll(".msgs").forEach(function (box) { box.textContent = ""; });
    document.querySelectorAll(".has-error, .has-warning, .has-note").forEach(function (el) {
      el.classList.remove("has-error", "has-warning", "has-note");
      if (el.dataset.title !== undefined) { el.title = el.dataset.title; }
    });
  }
  function markClass(p) {
    if (p.source === "import") return "has-note";
    return p.severity === "error" ? "has-error" : "has-warning";
  }
  function describe(p) {
    const who = p.source === "import" ? "导入" : p.severity_label;
    return who + " " + p.code + (p.label ? "【" + p.label + "】" : "") + p.message;
  }
  function showProblems(data) {
    if (data.title) document.getElementById("report-title").textContent = data.title;
    clearMarks();
    const list = document.getElementById("problem-list");
    list.textContent = "";
    data.problems.forEach(function (p, index) {
      if (!document.getElementById(p.field ? "f-" + p.field : p.anchor)) {
        p.field = null;  // not on this page (e.g. 五 written as one text): its section
        p.anchor = p.section;
        p.box = "m-" + p.section;
      }
      const target = document.getElementById(p.field ? "f-" + p.field : p.anchor);
      const kind = markClass(p);
      if (target) {
        if (target.dataset.title === undefined) target.dataset.title = target.title || "";
        target.classList.add(kind);
        target.title = describe(p);
      }
      const line = document.createElement("li");
      line.className = "problem " + (p.source === "import" ? "note" : p.severity);
      line.id = "p-" + index;
      const link = document.createElement("a");
      link.href = "#" + (p.field ? "f-" + p.field : p.anchor);
      link.textContent = describe(p);
      link.addEventListener("click", function (event) {
        const to = document.getElementById(p.field ? "f-" + p.field : p.anchor);
        if (!to) return;
        event.preventDefault();
        to.scrollIntoView({ block: "center" });
        if (to.focus) to.focus();
      });
      line.appendChild(link);
      list.appendChild(line);
      const box = document.getElementById(p.box);
      if (box) {
        const item = document.createElement("li");
        item.className = "problem " + (p.source === "import" ? "note" : p.severity);
        item.textContent = describe(p);
        box.appendChild(item);
      }
    });
    const note = document.getElementById("draft-note");
    if (note) {
      note.textContent = data.draft_note || "";
      note.hidden = !data.draft_note;
    }
    const counts = document.getElementById("counts");
    let text = data.errors + " 处错误，" + data.warnings + " 处警告";
    if (data.notes) text += "，" + data.notes + " 处导入提示";
    counts.textContent = text;
    counts.className = data.errors ? "bad" : "good";
    if (!data.problems.length) {
      const ok = document.createElement("li");
      ok.className = "problem ok";
      ok.textContent = "通过全部检查";
      list.appendChild(ok);
    }
  }

  async function runCheck() {
    const mine = ++round;
    const result = await postJSON("/api/check", { file: file, values: values() });
    if (mine !== round) return;  // a newer edit's check is on its way
    if (!result.ok) { say(saveStatus, result.data.error || "检查失败", "error"); return; }
    showProblems(result.data);
  }
  function scheduleCheck() {
    clearTimeout(timer);
    timer = setTimeout(runCheck, DEBOUNCE_MS);
  }
  function edited() {
    dirty = true;
    say(saveStatus, "未保存", "busy");
    updateSums();
    scheduleCheck();
  }
  inputs.forEach(function (input) {
    input.addEventListener("input", edited);
    input.addEventListener("change", edited);
  });

  // ---------------------------------------------------------------- save
  const conflict = document.getElementById("conflict");
  async function save() {
    clearTimeout(timer);
    say(saveStatus, "正在保存…", "busy");
    const result = await postJSON("/api/save", { file: file, version: version, values: values() });
    if (result.status === 409) {
      document.getElementById("conflict-message").textContent = result.data.error;
      conflict.hidden = false;
      say(saveStatus, "未保存：文件已被修改", "error");
      return;
    }
    if (!result.ok) { say(saveStatus, result.data.error || "保存失败", "error"); return; }
    version = result.data.version;
    dirty = false;
    say(saveStatus, "已保存", "ok");
    showProblems(result.data);
  }
  document.getElementById("save").addEventListener("click", save);
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(); }
  });
  document.getElementById("reload").addEventListener("click", function () {
    dirty = false;
    window.location.reload();
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  // ---------------------------------------------------------------- outputs
  async function preview() {
    say(saveStatus, "正在生成预览…", "busy");
    const result = await postJSON("/api/preview", { file: file, values: values() });
    if (!result.ok) {
      say(saveStatus, result.data.error || "预览失败", "error");
      if (result.data.problems) showProblems(result.data);
      return;
    }
    const section = document.getElementById("sec-preview");
    section.hidden = false;
    document.getElementById("preview-frame").srcdoc = result.data.html;
    section.scrollIntoView();
    say(saveStatus, dirty ? "预览已生成（尚未保存）" : "预览已生成", "ok");
  }
  document.getElementById("preview").addEventListener("click", preview);

  function fileName(response, fallback) {
    const header = response.headers.get("Content-Disposition") || "";
    const match = /filename\*=UTF-8''([^;]+)/.exec(header);
    return match ? decodeURIComponent(match[1]) : fallback;
  }
  async function download(to) {
    say(saveStatus, "正在生成…", "busy");
    let response;
    try {
      response = await fetch("/api/download?to=" + to, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ file: file, values: values() }),
        credentials: "same-origin",
      });
    } catch (e) { say(saveStatus, "无法连接编辑器", "error"); return; }
    if (!response.ok) {
      let data = {};
      try { data = await response.json(); } catch (e) { data = {}; }
      say(saveStatus, data.error || "生成失败", "error");
      if (data.problems) showProblems(data);
      return;
    }
    const blob = await response.blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName(response, "report." + to);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    say(saveStatus, dirty ? "已下载（尚未保存）" : "已下载", "ok");
  }
  document.querySelectorAll("[data-to]").forEach(function (button) {
    button.addEventListener("click", function () { download(button.dataset.to); });
  });

  // ---------------------------------------------------------------- start from last year
  const dialog = document.getElementById("start-dialog");
  document.getElementById("open-start").addEventListener("click", function () { dialog.showModal(); });
  document.getElementById("start-submit").addEventListener("click", async function () {
    const chosen = document.getElementById("start-file").files[0];
    const status = document.getElementById("start-status");
    if (!chosen) { say(status, "请先选择文件", "error"); return; }
    const form = new FormData();
    form.append("report", chosen);
    say(status, "正在读取并生成草稿…", "busy");
    let response, data = {};
    try {
      response = await fetch("/api/start", { method: "POST", body: form, credentials: "same-origin" });
      data = await response.json();
    } catch (e) { say(status, "上传失败", "error"); return; }
    if (!response.ok) { say(status, data.error || "无法生成草稿", "error"); return; }
    window.location.href = data.url;  // with unsaved edits here, the browser asks first
  });

  updateSums();
  runCheck();
})();
