"""A LibreOffice profile built once and copied for every start: a PDF sooner.

Every LibreOffice govreport starts gets a profile of its own (a user's running
LibreOffice, or a stale lock in their profile, would swallow the request).

A profile that does not record the LibreOffice version it was last used with
makes LibreOffice take itself for newly upgraded, and such a start runs its
graphics self-test first: some sixty drawings on 4096-pixel canvases, a second
of CPU (most of a fresh start) before the first document. Headless LibreOffice
never records the version, so every profile govreport lays out says it.

A LibreOffice given an empty folder also builds a whole profile first
(configuration registry, extension databases). So the first LibreOffice that
shuts down cleanly leaves a copy of its profile in the user's cache folder (the
*seed*), and every later start copies the seed instead: a few milliseconds.

The seed holds LibreOffice's settings only: documents are opened hidden, so no
path of a converted file is kept in it. It is written to a temporary folder and
renamed into place, so a reader sees a whole seed or none. A seed is keyed by
the LibreOffice program it came from (an upgraded LibreOffice gets a new one),
and one that is not plain small files (a link, a device, too big) is removed
unused, so a clean one can take its place. A start that fails with a seed
discards it. ``GOVREPORT_CACHE_DIR`` names the
cache folder; ``GOVREPORT_CACHE_DIR=off`` keeps nothing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

__all__ = ["CACHE_ENV", "discard", "keep", "office_version", "plant", "prepare", "seed_for"]

#: The folder govreport may cache things in; ``off`` to cache nothing.
CACHE_ENV = "GOVREPORT_CACHE_DIR"
_PREFIX = "libreoffice-profile-"
#: Part of a seed's key: seeds laid out by an older govreport (without the version) are replaced.
_LAYOUT = "2"
#: A profile LibreOffice makes is about 0.5 MB in 50 files; anything far bigger is not one.
MAX_SEED_BYTES = 32 * 1024 * 1024
MAX_SEED_FILES = 2000
# What LibreOffice holds while running, and what a later start must not inherit.
_NOT_COPIED = shutil.ignore_patterns(".lock", ".~lock.*", "crash", "backup", "temp")


def cache_root() -> Path | None:
    """govreport's cache folder, or ``None`` when caching is off."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    if os.name == "nt":  # pragma: no cover - Windows
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "govreport" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "govreport"


def seed_for(soffice: str) -> Path | None:
    """Where the seed for this LibreOffice program lives (it may not exist yet)."""
    root = cache_root()
    if root is None:
        return None
    try:
        program = Path(soffice).resolve()
        info = program.stat()
    except OSError:
        return None
    key = f"{_LAYOUT}\0{program}\0{info.st_size}\0{info.st_mtime_ns}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
    return root / (_PREFIX + digest[:16])


def prepare(profile: Path, soffice: str, *, seed: bool = True) -> bool:
    """Lay out ``profile`` (which must not exist) for a start: a copy of the seed when
    ``seed`` and there is one, else a new profile that knows LibreOffice's version.
    Whether the seed was used."""
    if seed and plant(profile, soffice):
        return True
    version = office_version(soffice)
    if version is not None:
        with contextlib.suppress(OSError):  # without it LibreOffice only starts slower
            (profile / "user").mkdir(parents=True, exist_ok=True)
            (profile / "user" / "registrymodifications.xcu").write_text(
                _SETTINGS.format(version=version), encoding="utf-8"
            )
    return False


#: LibreOffice's own file of changed settings, saying which version last used the profile.
_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" \
oor:op="fuse"><value>{version}</value></prop></item>
</oor:items>
"""
_VERSION = re.compile(rb'<prop oor:name="ooSetupVersion">\s*<value>(\d{1,3}\.\d{1,3})</value>')
#: main.xcd is about 2 MB; a file far bigger is not LibreOffice's.
_MAX_REGISTRY_BYTES = 64 * 1024 * 1024


@functools.lru_cache(maxsize=8)
def office_version(soffice: str) -> str | None:
    """LibreOffice's ``major.minor``, from the registry beside its program, or ``None``."""
    try:
        program = Path(soffice).resolve()
    except OSError:
        return None
    install = program.parent.parent  # …/program/soffice, or …/Contents/MacOS/soffice
    for registry in (
        install / "share" / "registry" / "main.xcd",
        install / "Resources" / "registry" / "main.xcd",
    ):
        try:
            with open(registry, "rb") as file:
                found = _VERSION.search(file.read(_MAX_REGISTRY_BYTES))
        except OSError:
            continue
        if found:
            return found.group(1).decode("ascii")
    return None


def plant(profile: Path, soffice: str) -> bool:
    """Copy the seed to ``profile`` (which must not exist); whether there was one."""
    seed = seed_for(soffice)
    if seed is None or not os.path.lexists(seed):
        return False
    if not _is_plain(seed):  # not one we made: out of the way, so a clean one can be kept
        _remove(seed)
        return False
    try:
        shutil.copytree(seed, profile, symlinks=True, ignore=_NOT_COPIED)
    except OSError:
        shutil.rmtree(profile, ignore_errors=True)
        return False
    return True


def keep(profile: Path, soffice: str) -> None:
    """Make ``profile``, of a LibreOffice that shut down cleanly, the seed if there is none.

    Best effort: a read-only home or a full disk only means later starts build
    their own profile, as they did before.
    """
    seed = seed_for(soffice)
    if seed is None or os.path.lexists(seed) or not _is_plain(profile):
        return
    try:
        seed.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=seed.parent))
    except OSError:
        return
    try:
        shutil.copytree(profile, staging / "profile", symlinks=True, ignore=_NOT_COPIED)
        os.rename(staging / "profile", seed)  # another process may have been first: fine
    except OSError:
        pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _forget_others(seed)


def discard(soffice: str) -> None:
    """Remove the seed: a LibreOffice started from it failed."""
    seed = seed_for(soffice)
    if seed is not None:
        _remove(seed)


def _forget_others(seed: Path) -> None:
    """Seeds of LibreOffice programs since replaced (an upgrade) are only clutter."""
    with contextlib.suppress(OSError):
        for other in seed.parent.glob(_PREFIX + "*"):
            if other != seed:
                _remove(other)


def _remove(folder: Path) -> None:
    """Rename first, then delete: a reader never copies half a seed."""
    doomed = folder.with_name(f".doomed-{folder.name}-{os.getpid()}")
    try:
        os.rename(folder, doomed)
        if os.path.islink(doomed) or not os.path.isdir(doomed):
            os.unlink(doomed)  # a link is removed, never what it points to
            return
    except OSError:
        return
    shutil.rmtree(doomed, ignore_errors=True)


def _is_plain(folder: Path) -> bool:
    """A real folder of ordinary files, small enough to be a LibreOffice profile."""
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return False
        files, size = 0, 0
        for root, dirs, names in os.walk(folder):
            for name in dirs + names:
                info = os.lstat(os.path.join(root, name))
                if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
                    return False
                files += 1
                size += info.st_size
                if files > MAX_SEED_FILES or size > MAX_SEED_BYTES:
                    return False
    except OSError:
        return False
    return True
