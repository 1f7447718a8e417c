"""The FastAPI application factory (``uvicorn server.app:create_app --factory``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from server.appointments.planning_router import router as planning_router
from server.appointments.router import router as appointments_router
from server.audit import service as audit_service
from server.audit.key import connection_options, derive_audit_key
from server.audit.router import router as audit_router
from server.auth.principal import load_principal
from server.auth.router import router as auth_router
from server.auth.secret import load_or_create_secret
from server.calendar.router import router as calendar_router
from server.calendar_feeds.router import router as calendar_feeds_router
from server.chains.router import router as chains_router
from server.core.access import install_method_fallbacks
from server.core.allowed_hosts import AllowedHosts
from server.core.errors import install_error_handlers
from server.core.middleware import BodySizeLimit
from server.core.openapi import install_openapi
from server.core.ports import Auditor
from server.core.responses import JSONResponse
from server.core.routing import skip_unmatchable_routers
from server.core.security_headers import SecurityHeaders
from server.core.state import AppState
from server.db import make_engine, make_session_factory
from server.events.broker import EventBroker
from server.events.router import router as events_router
from server.health.router import close_probe
from server.health.router import router as health_router
from server.kpis.router import router as kpis_router
from server.master_data.router import router as master_data_router
from server.op_views.router import router as op_views_router
from server.operations.router import router as operations_router
from server.patient_flow.router import router as patient_flow_router
from server.patients.router import router as patients_router
from server.practice.router import router as practice_router
from server.reminders.router import router as reminders_router
from server.series.router import router as series_router
from server.settings import Settings, get_settings
from server.setup.router import router as setup_router
from server.users.router import router as users_router
from server.waiting_list.router import router as waiting_list_router
from server.working_hours.router import router as working_hours_router

ROUTERS = [
    health_router,
    auth_router,
    users_router,
    audit_router,
    setup_router,
    working_hours_router,
    patients_router,
    master_data_router,
    appointments_router,
    operations_router,
    patient_flow_router,
    op_views_router,
    kpis_router,
    planning_router,
    calendar_router,
    waiting_list_router,
    reminders_router,
    calendar_feeds_router,
    series_router,
    chains_router,
    practice_router,
    events_router,
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    if settings.database_url is None:
        raise RuntimeError(
            "PRAXI_DATABASE_URL is not set; start the server with `praxi-server serve`, "
            "which starts the embedded database when no URL is configured"
        )
    secret_key = load_or_create_secret(settings)
    engine = make_engine(
        settings.database_url.get_secret_value(),
        timezone=settings.timezone,
        audit_options=connection_options(derive_audit_key(secret_key)),
    )
    state = AppState(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        secret_key=secret_key,
        load_principal=load_principal,
        audit=Auditor(record=audit_service.record, record_read=audit_service.record_read),
    )

    events = EventBroker(engine, settings.tz)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with events.running():
            yield
        await close_probe(app.state)
        engine.dispose()

    app = FastAPI(
        title="PraxiApp API",
        version="0.1.0",
        openapi_url="/api/schema/",
        docs_url="/api/docs/",
        redoc_url=None,
        default_response_class=JSONResponse,
        lifespan=lifespan,
    )
    app.state.praxi = state
    app.state.praxi_events = events
    for router in ROUTERS:
        app.include_router(router)
    install_method_fallbacks(app, ROUTERS)
    install_error_handlers(app)
    install_openapi(app, ROUTERS)
    skip_unmatchable_routers(app)
    app.add_middleware(BodySizeLimit)
    allowed_hosts = settings.effective_allowed_hosts
    if allowed_hosts is not None:  # None: any host (central mode without PRAXI_ALLOWED_HOSTS)
        app.add_middleware(AllowedHosts, allowed_hosts=allowed_hosts)  # before the body limit
    app.add_middleware(SecurityHeaders)  # outermost: also on the 413 and 400 above
    return app
