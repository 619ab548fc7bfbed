"""The LibreOffice profile seed (``pdf.profile``): kept once, copied for every start, never trusted
blindly. These tests use a stand-in program and profile; ``test_office`` starts LibreOffice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govreport.pdf import profile as _profile
from govreport.pdf.profile import CACHE_ENV, discard, keep, office_version, plant, prepare, seed_for


@pytest.fixture
def soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    program = tmp_path / "program" / "soffice"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    return str(program)


def _profile_of(folder: Path, settings: str = "<items/>") -> Path:
    """What LibreOffice leaves behind, with what it holds while running and its backups."""
    (folder / "user" / "backup").mkdir(parents=True)
    (folder / "user" / "registrymodifications.xcu").write_text(settings)
    (folder / "user" / "backup" / "报告_0.docx").write_text("a document's autosave")
    (folder / "user" / "temp").mkdir()
    (folder / ".lock").write_text("host,pid")
    return folder


def _install(soffice: str, registry: str) -> None:
    """LibreOffice's registry beside the stand-in program, as in …/program/soffice."""
    main = Path(soffice).parent.parent / "share" / "registry" / "main.xcd"
    main.parent.mkdir(parents=True)
    main.write_text(registry, encoding="utf-8")


_REGISTRY = '<node oor:name="Product"><prop oor:name="ooSetupVersion">\n  <value>{}</value></prop>'


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_a_kept_profile_is_planted_without_locks_or_autosaves(soffice: str, tmp_path: Path):
    keep(_profile_of(tmp_path / "first"), soffice)
    seed = seed_for(soffice)
    assert seed is not None and seed.is_dir()
    assert plant(tmp_path / "second", soffice) is True
    assert _files(tmp_path / "second") == {"user/registrymodifications.xcu"}
    assert (tmp_path / "second/user/registrymodifications.xcu").read_text() == "<items/>"
    assert [p.name for p in seed.parent.iterdir()] == [seed.name]  # no staging left behind


def test_nothing_to_plant_before_a_profile_is_kept(soffice: str, tmp_path: Path):
    assert plant(tmp_path / "profile", soffice) is False
    assert not (tmp_path / "profile").exists()


def test_the_first_seed_stays(soffice: str, tmp_path: Path):
    """Two processes finishing together: the second finds a seed and leaves it alone."""
    keep(_profile_of(tmp_path / "a", "first"), soffice)
    keep(_profile_of(tmp_path / "b", "second"), soffice)
    plant(tmp_path / "c", soffice)
    assert (tmp_path / "c/user/registrymodifications.xcu").read_text() == "first"


def test_another_libreoffice_gets_its_own_seed_and_the_old_one_goes(soffice: str, tmp_path: Path):
    keep(_profile_of(tmp_path / "old"), soffice)
    before = seed_for(soffice)
    os.utime(soffice, ns=(0, 1_000_000_000))  # LibreOffice upgraded: the program changed
    after = seed_for(soffice)
    assert after is not None and after != before
    assert plant(tmp_path / "fresh", soffice) is False
    keep(_profile_of(tmp_path / "new"), soffice)
    assert after.is_dir() and before is not None and not before.exists()


def test_a_seed_with_a_link_is_not_planted(soffice: str, tmp_path: Path):
    keep(_profile_of(tmp_path / "first"), soffice)
    seed = seed_for(soffice)
    assert seed is not None
    (seed / "user" / "passwd").symlink_to("/etc/passwd")
    assert plant(tmp_path / "second", soffice) is False
    assert not (tmp_path / "second").exists()
    assert not seed.exists() and Path("/etc/passwd").is_file()  # removed, the target kept
    keep(_profile_of(tmp_path / "third"), soffice)  # a clean one takes its place
    assert plant(tmp_path / "fourth", soffice) is True


def test_a_seed_that_is_a_link_is_removed_not_followed(soffice: str, tmp_path: Path):
    seed = seed_for(soffice)
    assert seed is not None
    elsewhere = _profile_of(tmp_path / "elsewhere")
    seed.parent.mkdir(parents=True)
    seed.symlink_to(elsewhere, target_is_directory=True)
    assert plant(tmp_path / "second", soffice) is False
    assert not os.path.lexists(seed)
    assert (elsewhere / "user" / "registrymodifications.xcu").is_file()


def test_a_huge_seed_is_not_planted(soffice: str, tmp_path: Path, monkeypatch):
    keep(_profile_of(tmp_path / "first"), soffice)
    monkeypatch.setattr(_profile, "MAX_SEED_BYTES", 10)
    assert plant(tmp_path / "second", soffice) is False


def test_a_profile_with_a_link_is_not_kept(soffice: str, tmp_path: Path):
    profile = _profile_of(tmp_path / "first")
    (profile / "user" / "elsewhere").symlink_to(tmp_path)
    keep(profile, soffice)
    seed = seed_for(soffice)
    assert seed is not None and not seed.exists()


def test_discard_removes_the_seed(soffice: str, tmp_path: Path):
    keep(_profile_of(tmp_path / "first"), soffice)
    discard(soffice)
    assert plant(tmp_path / "second", soffice) is False
    assert list((tmp_path / "cache").iterdir()) == []


def test_caching_off(soffice: str, tmp_path: Path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "off")
    assert seed_for(soffice) is None
    keep(_profile_of(tmp_path / "first"), soffice)
    assert plant(tmp_path / "second", soffice) is False
    assert not (tmp_path / "cache").exists()


def test_an_unwritable_cache_only_means_no_seed(soffice: str, tmp_path: Path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv(CACHE_ENV, str(blocked / "cache"))
    keep(_profile_of(tmp_path / "first"), soffice)  # no exception
    assert plant(tmp_path / "second", soffice) is False


@pytest.mark.skipif(os.name == "nt", reason="Windows 使用 LOCALAPPDATA")
def test_the_default_cache_follows_xdg(monkeypatch, tmp_path: Path):
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _profile.cache_root() == tmp_path / "xdg" / "govreport"


# --------------------------------------------------------------------------- a new profile


def _last_version(profile: Path) -> str | None:
    """What LibreOffice will read as the version that last used the profile."""
    import xml.etree.ElementTree as ET

    oor = "{http://openoffice.org/2001/registry}"
    tree = ET.parse(profile / "user" / "registrymodifications.xcu")
    for item in tree.getroot():
        prop = item.find("prop")
        if (
            item.get(oor + "path") == "/org.openoffice.Setup/Product"
            and prop is not None
            and prop.get(oor + "name") == "ooSetupLastVersion"
        ):
            return prop.findtext("value")
    return None


def test_a_new_profile_says_which_libreoffice_last_used_it(soffice: str, tmp_path: Path):
    """Otherwise LibreOffice takes itself for upgraded and runs its graphics self-test."""
    _install(soffice, _REGISTRY.format("24.8"))
    assert office_version(soffice) == "24.8"
    assert prepare(tmp_path / "profile", soffice) is False  # no seed yet
    assert _last_version(tmp_path / "profile") == "24.8"


def test_the_seed_is_copied_as_it_is(soffice: str, tmp_path: Path):
    _install(soffice, _REGISTRY.format("7.4"))
    keep(_profile_of(tmp_path / "first", "<items>the seed's own</items>"), soffice)
    assert prepare(tmp_path / "second", soffice) is True
    settings = tmp_path / "second" / "user" / "registrymodifications.xcu"
    assert settings.read_text() == "<items>the seed's own</items>"
    assert prepare(tmp_path / "third", soffice, seed=False) is False  # after a failed start
    assert _last_version(tmp_path / "third") == "7.4"


@pytest.mark.parametrize(
    "registry",
    [
        None,  # not installed the usual way: LibreOffice is left to build its profile
        _REGISTRY.format("seven"),
        _REGISTRY.format('7.4<item oor:path="/x"/>'),  # only digits go into the profile
    ],
)
def test_without_a_plain_version_nothing_is_written(soffice: str, tmp_path: Path, registry):
    if registry is not None:
        _install(soffice, registry)
    assert office_version(soffice) is None
    assert prepare(tmp_path / "profile", soffice) is False
    assert not (tmp_path / "profile").exists()


def test_a_seed_laid_out_by_an_older_govreport_is_not_used(soffice: str, tmp_path: Path):
    """Seeds are keyed by the layout too: one without the version would run the self-test."""
    seed = seed_for(soffice)
    assert seed is not None
    older = seed.with_name("libreoffice-profile-" + "0" * 16)
    _profile_of(older)
    assert plant(tmp_path / "second", soffice) is False
    keep(_profile_of(tmp_path / "third"), soffice)
    assert [p.name for p in seed.parent.iterdir()] == [seed.name]
