from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models import Base

DEFAULT_CALENDAR_COLOR = "#1E90FF"


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(128))


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        Index("uq_users_username_lower", func.lower(text("username")), unique=True),
        # Several users may have no email; non-empty ones are unique case-insensitively.
        Index(
            "uq_users_email_lower",
            func.lower(text("email")),
            unique=True,
            postgresql_where=text("email <> ''"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150))
    password_hash: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(150), default="", server_default="")
    last_name: Mapped[str] = mapped_column(String(150), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    role_id: Mapped[int | None] = mapped_column(
        ForeignKey("roles.id", ondelete="RESTRICT"), index=True
    )
    calendar_color: Mapped[str] = mapped_column(
        String(7), default=DEFAULT_CALENDAR_COLOR, server_default=DEFAULT_CALENDAR_COLOR
    )
    vacation_days_per_year: Mapped[int] = mapped_column(default=30, server_default="30")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    date_joined: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_login: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")

    role: Mapped[Role | None] = relationship(lazy="joined")

    @property
    def role_name(self) -> str | None:
        return self.role.name if self.role else None

    @property
    def display_name(self) -> str:
        """01 §2: "first last" trimmed, else the username."""
        return f"{self.first_name} {self.last_name}".strip() or self.username
