@echo off
chcp 65001 >nul
setlocal
title 政府信息公开年报编辑器
rem 双击启动 govreport 的网页编辑器，编辑本文件所在文件夹中的事实文件（.yaml）。
rem 用法：把本文件复制到存放事实文件的文件夹中双击；也可以把一个文件夹或事实文件拖到本文件上。
rem 编辑器在浏览器中打开；关闭此窗口即可停止。说明见 docs/guide.md（在 Windows 上双击启动编辑器）。
set "TARGET=%~dp0."
if not "%~1"=="" set "TARGET=%~1"
echo 政府信息公开工作年度报告 · 网页编辑器
echo 编辑："%TARGET%"
echo 编辑器在浏览器中打开；关闭此窗口即可停止编辑器（也可以按 Ctrl+C）。
echo.
where govreport >nul 2>nul
if not errorlevel 1 (
    govreport edit "%TARGET%"
    goto stopped
)
where py >nul 2>nul
if not errorlevel 1 (
    py -3 -m govreport edit "%TARGET%"
    goto stopped
)
echo 没有找到 govreport。请先安装，例如离线安装：
echo     pip install --no-index --find-links 文件夹 govreport
:stopped
echo.
echo 编辑器已停止。
pause
