"""Accounts: argon2 password hashes, the one-time link for the first 管理员, sign-in.

No one registers themselves: the first start prints a link (its token is kept
only as a hash) to create the first 管理员, who then creates every other account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..errors import InputError
from .models import ADMIN, FILLER, REVIEWER, ROLES, Agency, LoginSession, Setting, User, now

SETUP_KEY = "setup_token"
SESSION_HOURS = 12
MIN_PASSWORD = 8
_hasher = PasswordHasher()
#: verified against when the user does not exist, so both cases take the same time
_DUMMY_HASH = _hasher.hash("govreport-no-such-user")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码至少 {MIN_PASSWORD} 个字符")
    return _hasher.hash(password)


def verify(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or ``None``."""
    user = session.scalar(select(User).where(User.username == username))
    stored = user.password_hash if user is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active or agency_abolished(session, user):
        return None
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return user


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    agency_id: int | None,
    display_name: str = "",
) -> User:
    """A new account; a 审核员 or 填报员 belongs to an agency, a 管理员 may not."""
    username = username.strip()
    if not username or len(username) > 100:
        raise InputError("用户名不能为空，且不超过 100 个字符")
    if role not in ROLES:
        raise InputError(f"角色应是{'、'.join(ROLES)}之一")
    if role in (REVIEWER, FILLER) and agency_id is None:
        raise InputError(f"{role}必须属于一个机关")
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    if agency_id is not None and agency is None:
        raise InputError("所选机关不存在")
    if agency is not None and agency.abolished is not None:
        raise InputError(f"“{agency.name}”已撤销，不能再为它创建账号")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise InputError(f"用户名“{username}”已被使用")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        agency_id=agency_id,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def has_users(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def new_setup_token(session: Session) -> str | None:
    """A fresh one-time token for the first 管理员, when there is no account yet."""
    if has_users(session):
        return None
    token = secrets.token_urlsafe(24)
    session.merge(Setting(key=SETUP_KEY, value=digest(token)))
    return token


SETUP_LINK_INVALID = "此链接无效或已使用过：第一个管理员已经创建"


def setup_token_valid(session: Session, token: str) -> bool:
    """Whether ``token`` is the one-time link's, still unused (no account exists yet)."""
    stored = session.get(Setting, SETUP_KEY)
    return (
        stored is not None
        and not has_users(session)
        and secrets.compare_digest(stored.value, digest(token))
    )


def use_setup_token(session: Session, token: str, username: str, password: str) -> User:
    """Create the first 管理员 with the one-time token; the token is then gone."""
    if not setup_token_valid(session, token):
        raise InputError(SETUP_LINK_INVALID)
    session.delete(session.get(Setting, SETUP_KEY))
    return create_user(session, username=username, password=password, role=ADMIN, agency_id=None)


@dataclass
class SignedIn:
    token: str
    csrf: str


def sign_in(session: Session, user: User) -> SignedIn:
    """A new session for ``user``: the cookie's token (stored hashed) and its CSRF token."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now() + dt.timedelta(hours=SESSION_HOURS)
    session.execute(delete(LoginSession).where(LoginSession.expires < now()))
    session.add(LoginSession(token_hash=digest(token), user_id=user.id, csrf=csrf, expires=expires))
    return SignedIn(token, csrf)


def signed_in(session: Session, token: str | None) -> tuple[User, LoginSession] | None:
    """The user and session of a cookie's token, if it is valid and not expired."""
    if not token or len(token) > 100:
        return None
    found = session.get(LoginSession, digest(token))
    if found is None or found.expires < now():
        return None
    user = session.get(User, found.user_id)
    if user is None or not user.active or agency_abolished(session, user):
        return None
    return user, found


def agency_abolished(session: Session, user: User) -> bool:
    """Whether the user's agency is 撤销: its accounts no longer sign in (the rows stay, so
    restoring the agency gives them back as they were)."""
    if user.agency_id is None:
        return False
    agency = session.get(Agency, user.agency_id)
    return agency is not None and agency.abolished is not None


def sign_out(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == digest(token)))


def reset_password(session: Session, user_id: int, password: str) -> User:
    """A new password set by the 管理员; the user's open sessions end."""
    user = session.get(User, user_id)
    if user is None:
        raise InputError("没有这个账号")
    user.password_hash = hash_password(password)
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    return user


def set_active(session: Session, user_id: int, active: bool, by: int) -> User:
    """Disable (or enable again) an account; a disabled one cannot sign in, its sessions end."""
    user = session.get(User, user_id)
    if user is None:
        raise InputError("没有这个账号")
    if user.id == by and not active:
        raise InputError("不能停用自己的账号")
    user.active = active
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    return user
