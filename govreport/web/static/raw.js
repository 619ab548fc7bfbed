/* The plain-text view of a facts file that does not load: fix it and reopen. */
"use strict";
(function () {
  const root = document.getElementById("raw");
  const area = document.getElementById("raw-text");
  const status = document.getElementById("raw-status");
  const button = document.getElementById("save-raw");
  if (!root || !area) return;
  const line = parseInt(root.dataset.line || "0", 10);
  if (line > 0) {  // put the cursor on the failing line
    const lines = area.value.split("\n");
    let start = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || "").length);
    const height = parseFloat(window.getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, line - 5) * height;
    const bad = document.getElementById("line-" + line);
    if (bad) bad.scrollIntoView({ block: "center" });
  }
  button.addEventListener("click", async function () {
    say(status, "正在保存…", "busy");
    const result = await postJSON("/api/save-raw", {
      file: root.dataset.file, version: root.dataset.version, text: area.value,
    });
    if (!result.ok) { say(status, result.data.error || "保存失败", "error"); return; }
    window.location.href = "/edit?file=" + encodeURIComponent(root.dataset.file);
  });
})();
