/* govreport serve: comments at a cell or paragraph, and submitting with warnings acknowledged. */
"use strict";
(function () {
  const panel = document.getElementById("workflow");
  if (!panel) return;
  const report = panel.dataset.report;
  const base = "/api/reports/" + report;
  let target = "";

  // The audit's figures (实质公开率…) go above the table they are read from.
  const figures = document.getElementById("audit-figures");
  if (figures) {
    Array.from(figures.querySelectorAll("li[data-table]")).forEach(function (item) {
      const table = document.getElementById("table-" + item.dataset.table);
      const holder = table && table.closest("section");
      if (!holder) return;
      let list = holder.querySelector("ul.audit-figures");
      if (!list) {
        list = document.createElement("ul");
        list.className = "audit-figures";
        holder.insertBefore(list, holder.querySelector("h2").nextSibling);
      }
      item.querySelector("a").removeAttribute("href");
      list.appendChild(item);
    });
    if (!figures.children.length) figures.remove();
  }

  function labelOf(id) {
    const input = document.getElementById("f-" + id);
    return input ? (input.getAttribute("aria-label") || (input.closest("label") || {}).textContent || id).trim().split("\n")[0] : id;
  }
  function showComments(list) {
    const box = document.getElementById("comment-list");
    box.textContent = "";
    document.querySelectorAll(".has-comment").forEach(function (el) { el.classList.remove("has-comment"); });
    list.forEach(function (c) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = c.path ? "#f-" + c.path : "#";
      link.textContent = "【" + c.label + "】" + c.author + "（" + c.created + "）：" + c.text;
      link.addEventListener("click", function (event) {
        const to = document.getElementById("f-" + c.path);
        if (!to) return;
        event.preventDefault();
        to.scrollIntoView({ block: "center" });
        to.focus();
      });
      item.appendChild(link);
      box.appendChild(item);
      const field = c.path && document.getElementById("f-" + c.path);
      if (field) { field.classList.add("has-comment"); field.dataset.comment = c.text; }
    });
  }
  async function loadComments() {
    const response = await fetch(base + "/comments", { credentials: "same-origin" });
    if (response.ok) showComments((await response.json()).comments);
  }
  document.querySelectorAll("[data-field]").forEach(function (input) {
    input.addEventListener("focus", function () {
      target = input.dataset.field;
      document.getElementById("comment-target").textContent = "批注位置：" + labelOf(target);
    });
  });
  document.getElementById("comment-add").addEventListener("click", async function () {
    const text = document.getElementById("comment-text");
    const status = document.getElementById("comment-status");
    const result = await postJSON(base + "/comments", { path: target, text: text.value });
    if (!result.ok) { say(status, result.data.error || "批注失败", "error"); return; }
    text.value = "";
    say(status, "已添加批注", "ok");
    showComments(result.data.comments);
  });

  const dialog = document.getElementById("submit-dialog");
  const opener = document.getElementById("submit-open");
  if (opener) {
    opener.addEventListener("click", async function () {
      const status = document.getElementById("submit-status");
      const response = await fetch(base + "/warnings", { credentials: "same-origin" });
      const data = await response.json();
      const list = document.getElementById("submit-warnings");
      list.textContent = "";
      (data.warnings || []).forEach(function (w) {
        const item = document.createElement("li");
        const box = document.createElement("input");
        box.type = "checkbox"; box.dataset.key = w.key; box.className = "ack";
        const note = document.createElement("input");
        note.placeholder = "说明（可选）"; note.dataset.note = w.key;
        const label = document.createElement("label");
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + w.code + (w.label ? "【" + w.label + "】" : "") + w.message + " "));
        item.appendChild(label); item.appendChild(note);
        list.appendChild(item);
      });
      document.getElementById("submit-intro").textContent = data.errors
        ? "还有 " + data.errors + " 处错误（请先保存并改正），不能提交。"
        : (data.warnings.length ? "请逐条确认下列警告（可填写说明），然后提交。" : "没有错误和警告，可以提交。");
      say(status, "", "");
      dialog.showModal();
    });
    document.getElementById("submit-cancel").addEventListener("click", function () { dialog.close(); });
    document.getElementById("submit-confirm").addEventListener("click", async function () {
      const acknowledged = {};
      let missing = 0;
      document.querySelectorAll("#submit-warnings .ack").forEach(function (box) {
        if (!box.checked) { missing++; return; }
        const note = document.querySelector('[data-note="' + box.dataset.key + '"]');
        acknowledged[box.dataset.key] = note ? note.value : "";
      });
      const status = document.getElementById("submit-status");
      if (missing) { say(status, "还有 " + missing + " 条警告未确认", "error"); return; }
      const result = await postJSON(base + "/submit", { acknowledged: acknowledged });
      if (!result.ok) { say(status, result.data.error || "提交失败", "error"); return; }
      window.location.reload();
    });
  }
  loadComments();
})();
