"""Gather govreport and every package it needs into one folder, for a machine with no
package index (政务内网): ``pip install --no-index --find-links 文件夹 govreport`` there.

Usage, from the repository (on a machine that can reach a package index or mirror)::

    python tools/wheelhouse.py wheelhouse-win --platform windows --python 3.11
    python tools/wheelhouse.py wheelhouse-linux --platform linux --python 3.11
    python tools/wheelhouse.py wheelhouse --platform host        # this machine's own kind
    python tools/wheelhouse.py wheelhouse-win --platform windows --extras pandoc   # ODT, RTF

Three steps, each an ordinary pip command (``--dry-run`` prints them without running):

1. ``pip wheel --no-deps`` builds govreport's own wheel from this clone;
2. pip resolves that wheel's dependencies, which it reads from the wheel's metadata,
   that is from ``pyproject.toml``: no list of packages is kept here to go stale.
   For another platform ``pip download --only-binary=:all: --platform …`` fetches
   the wheels built for it; for this machine's own kind ``pip wheel`` also builds a
   wheel from any package published only as source;
3. an offline ``pip install --dry-run --no-index --find-links`` against the folder
   alone (the user's pip configuration and ``PIP_*`` variables set aside) proves the
   folder is complete for the target before it is carried over.

The wheels only install into the Python version they were gathered for (``--python``),
on that platform: gather for the version installed on the target machines.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "govreport"
#: pip's platform tags for each target; manylinux wheels of every glibc baseline the
#: packages publish (2_28 covers Debian 11+, Ubuntu 20.04+, 麒麟 V10 and UOS 20 on x86-64).
PLATFORMS: dict[str, tuple[str, ...]] = {
    "windows": ("win_amd64",),
    "linux": (
        "manylinux_2_28_x86_64",
        "manylinux_2_17_x86_64",
        "manylinux2014_x86_64",
        "manylinux2010_x86_64",
        "manylinux1_x86_64",
    ),
}
HOST = "host"
_MISSING = re.compile(r"No matching distribution found for ([^\s]+)")


class WheelhouseError(Exception):
    """A step failed: the message says which, in Chinese."""


def host_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def pip(*args: str) -> list[str]:
    return [sys.executable, "-m", "pip", *args]


def target_flags(platform: str, python: str) -> list[str]:
    """pip's options selecting wheels for ``platform`` and CPython ``python`` (3.11)."""
    if platform == HOST:
        return []
    abi = "cp" + python.replace(".", "")
    flags = ["--only-binary=:all:", "--implementation", "cp", "--python-version", python]
    flags += ["--abi", abi, "--abi", "abi3", "--abi", "none"]
    for tag in PLATFORMS[platform]:
        flags += ["--platform", tag]
    return flags


def with_extras(requirement: str, extras: list[str]) -> str:
    return f"{requirement}[{','.join(extras)}]" if extras else requirement


def build_command(folder: Path) -> list[str]:
    """Step 1: govreport's own wheel, pure Python, from this clone."""
    return pip("wheel", "--no-deps", "--wheel-dir", str(folder), str(ROOT))


def gather_command(
    folder: Path, wheel: Path, platform: str, python: str, extras: list[str]
) -> list[str]:
    """Step 2: every dependency of the wheel, read from its metadata, for the target."""
    requirement = with_extras(str(wheel), extras)
    if platform == HOST:
        return pip("wheel", "--wheel-dir", str(folder), requirement)
    return pip("download", "--dest", str(folder), *target_flags(platform, python), requirement)


def verify_command(
    folder: Path, platform: str, python: str, extras: list[str], scratch: Path
) -> list[str]:
    """Step 3: resolve govreport from the folder alone, as the target machine will."""
    args = ["install", "--dry-run", "--ignore-installed", "--no-index"]
    args += ["--find-links", str(folder), "--target", str(scratch)]
    args += target_flags(platform, python)
    return pip(*args, with_extras(PROJECT, extras))


def offline_environment() -> dict[str, str]:
    """The environment for the check: no pip configuration file and no ``PIP_*`` variable,
    so that nothing but the folder (no mirror, no extra find-links) can satisfy it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(command: list[str], what: str, env: dict[str, str] | None = None) -> str:
    """Run one pip step; its output is shown, and a failure says which step in Chinese."""
    print("$ " + " ".join(command), flush=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        missing = _MISSING.search(done.stderr + done.stdout)
        if missing:
            raise WheelhouseError(f"{what}失败：没有找到适用于目标平台的 {missing[1]}")
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise WheelhouseError(f"{what}失败（pip 的输出如下）：\n{tail}")
    return done.stdout


def project_wheel(folder: Path) -> Path:
    """The govreport wheel step 1 wrote (the newest, should older ones be there)."""
    wheels = sorted(folder.glob(f"{PROJECT}-*.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels:
        raise WheelhouseError(f"{folder} 中没有生成 {PROJECT} 的 wheel 文件")
    return wheels[-1]


def verify(folder: Path, platform: str, python: str, extras: list[str]) -> None:
    """Step 3 alone: is the folder complete for the target? (``--check`` runs only this.)"""
    with tempfile.TemporaryDirectory(prefix="wheelhouse-check-") as scratch:
        command = verify_command(folder, platform, python, extras, Path(scratch))
        run(command, "离线安装自检", env=offline_environment())


def gather(folder: Path, platform: str, python: str, extras: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    run(build_command(folder), f"构建 {PROJECT} 的 wheel")
    wheel = project_wheel(folder)
    run(gather_command(folder, wheel, platform, python, extras), "收集依赖包")
    verify(folder, platform, python, extras)


def dry_run(folder: Path, platform: str, python: str, extras: list[str]) -> None:
    wheel = folder / f"{PROJECT}-<版本>-py3-none-any.whl"
    scratch = Path("<临时文件夹>")
    for command in (
        build_command(folder),
        gather_command(folder, wheel, platform, python, extras),
        verify_command(folder, platform, python, extras, scratch),
    ):
        print(" ".join(command))


def summary(folder: Path, platform: str, python: str, extras: list[str]) -> str:
    wheels = sorted(folder.glob("*.whl"))
    size = sum(p.stat().st_size for p in wheels) / 1024 / 1024
    where = (
        "这台电脑同类的"
        if platform == HOST
        else {"windows": "Windows x64 ", "linux": "Linux x64 "}[platform]
    )
    requirement = with_extras(PROJECT, extras)
    shown = f'"{requirement}"' if extras else requirement
    install = f"pip install --no-index --find-links {folder.name} {shown}"
    return (
        f"✓ 已在 {folder} 收集 {len(wheels)} 个 wheel 文件（{size:.1f} MB），"
        f"适用于{where}Python {python}\n"
        f"把整个文件夹复制到目标电脑，在其所在目录运行：\n  {install}"
    )


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python tools/wheelhouse.py",
        description="把 govreport 及其全部依赖收集到一个文件夹，供无法访问软件包索引的电脑离线安装。",
    )
    parser.add_argument("folder", type=Path, metavar="文件夹", help="存放 wheel 文件的文件夹")
    parser.add_argument(
        "--platform",
        choices=[*PLATFORMS, HOST],
        default=HOST,
        help="目标平台：windows（Windows x64）、linux（Linux x64）、host（与本机相同，默认）",
    )
    parser.add_argument(
        "--python", metavar="版本", help="目标电脑的 Python 版本，如 3.11（host 时为本机版本）"
    )
    parser.add_argument(
        "--extras", default="", metavar="附加功能", help="一并收集的附加功能，如 pandoc（ODT、RTF）"
    )
    parser.add_argument("--dry-run", action="store_true", help="只列出要运行的 pip 命令")
    parser.add_argument("--check", action="store_true", help="只检查已有文件夹是否齐全")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = arguments(argv)
    python = options.python or (host_python() if options.platform == HOST else "3.11")
    if options.platform == HOST and python != host_python():
        print(f"错误：--platform host 只能收集本机 Python {host_python()} 用的包", file=sys.stderr)
        return 2
    extras = [e.strip() for e in options.extras.split(",") if e.strip()]
    folder = options.folder.resolve()
    try:
        if options.dry_run:
            dry_run(folder, options.platform, python, extras)
            return 0
        if options.check:
            verify(folder, options.platform, python, extras)
        else:
            gather(folder, options.platform, python, extras)
    except WheelhouseError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(summary(folder, options.platform, python, extras))
    return 0


if __name__ == "__main__":
    sys.exit(main())
