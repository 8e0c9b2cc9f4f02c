"""Departments (承办单位) in the county → township → village tree, synced from config/departments.yaml."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (Index("ix_departments_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    # Materialised path of codes ("/371500/371502/371502001/") so a subtree is one prefix match.
    path: Mapped[str] = mapped_column(String(400))
    active: Mapped[bool] = mapped_column(default=True)
