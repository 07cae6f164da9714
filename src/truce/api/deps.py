"""Dependencies shared by the routers, as Annotated aliases.

Those that do no I/O are ``async``: FastAPI runs a plain ``def`` dependency
in the thread pool, a thread hop per dependency per request.

Authentication: ``Authorization: Bearer <token>``. No header means the
public; a header with a wrong, expired or revoked token is a 401 on every
route (never silently treated as the public); too many failures from one
address or on one token prefix are a 429 (``throttle``). Role checks go in a router's
or route's ``dependencies=[require(Role.ANALYST)]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from ..domain.exceptions import PermissionDenied
from ..service.users import STAFF, AuthError, Principal, Role, authenticate
from ..settings import Settings
from ..store.uow import UnitOfWork

__all__ = [
    "BearerCredentials", "CurrentPrincipal", "EngineDep", "OptionalPrincipal", "Principal", "RawJson", "Role",
    "SettingsDep", "StaffPrincipal", "TokenKeyDep", "UowDep", "admit", "bearer_token", "no_token",
    "refused_token", "require", "require_staff", "unit_of_work",
]

_bearer = HTTPBearer(auto_error=False, description="A truce API token: `truce users add` prints it once.")


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_token_key(request: Request) -> bytes:
    return request.app.state.token_key


def _unauthorized(reason: str) -> HTTPException:
    return HTTPException(401, reason, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def bearer_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    """The token of the Authorization header, None without one; a header that
    is not ``Bearer <token>`` is a 401. Reads nothing."""
    if request.headers.get("authorization") is None:
        return None
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("the Authorization header must be 'Bearer <token>'")
    return credentials.credentials


def refused_token(request: Request, exc: AuthError) -> HTTPException:
    """The 401 for a token that did not verify, counted by the failure throttle
    (which raises a 429 instead once a limit is crossed)."""
    client = request.client.host if request.client else "unknown"
    request.app.state.auth_throttle.failed(client, exc.prefix, exc.wrong_secret)
    return _unauthorized(str(exc))


def get_principal(request: Request, credentials: BearerCredentials) -> Principal | None:
    """The caller, or None for the public."""
    token = bearer_token(request, credentials)
    if token is None:
        return None
    try:
        with request.app.state.engine.connect() as connection:
            principal = authenticate(connection, token, datetime.now(UTC),
                                     token_key=request.app.state.token_key)
    except AuthError as exc:
        raise refused_token(request, exc) from None
    request.state.principal = principal
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(get_principal)]


def no_token() -> HTTPException:
    return HTTPException(401, "this needs an API token (Authorization: Bearer <token>)",
                         headers={"WWW-Authenticate": "Bearer"})


async def get_current_principal(principal: OptionalPrincipal) -> Principal:
    if principal is None:
        raise no_token()
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]


def admit(principal: Principal, allowed: frozenset[Role]) -> Principal:
    """``principal`` if its role is one of ``allowed``; PermissionDenied (403) otherwise."""
    if principal.role not in allowed:
        names = " or ".join(sorted(r.value for r in allowed))
        raise PermissionDenied(f"this needs the role {names}; you are {principal.role.value}")
    return principal


def require(*roles: Role) -> Any:
    """A dependency admitting only ``roles`` (401 for the public, 403 for others)."""
    allowed = frozenset(roles)

    async def check(principal: CurrentPrincipal) -> Principal:
        return admit(principal, allowed)

    return Depends(check)


require_staff = require(*STAFF)
StaffPrincipal = Annotated[Principal, require_staff]


def unit_of_work(request: Request) -> UnitOfWork:
    """A unit of work for this request (not yet begun), its writes ledgered
    as the authenticated principal's."""
    principal = getattr(request.state, "principal", None)
    return UnitOfWork(request.app.state.engine, actor=getattr(principal, "name", None))


def get_uow(request: Request, _principal: OptionalPrincipal) -> Iterator[UnitOfWork]:
    with unit_of_work(request) as uow:
        yield uow


async def raw_json(request: Request) -> Any:
    """The request body exactly as sent (for signatures), parsed as JSON."""
    return await request.json()


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
TokenKeyDep = Annotated[bytes, Depends(get_token_key)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]
RawJson = Annotated[Any, Depends(raw_json)]
