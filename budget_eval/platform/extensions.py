"""Extension objects, bound to the app in create_app."""
import click
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DDL, Engine, event, MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
# The name searches' GIN indexes use pg_trgm's operator class, kept in its own schema `extensions` (never one a
# schema reset drops) and named with it: `TRGM_OPS`. Migration f1a7c0de2b22 makes it; so does a schema made from
# the models. A trusted extension: the database's owner may create it.
TRGM_OPS = "extensions.gin_trgm_ops"
TRGM_DDL = ("CREATE SCHEMA IF NOT EXISTS extensions", "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA extensions",
            "ALTER EXTENSION pg_trgm SET SCHEMA extensions")
for _statement in TRGM_DDL:
    event.listen(Base.metadata, "before_create", DDL(_statement).execute_if(dialect="postgresql"))


@event.listens_for(Engine, "connect")
def _without_jit(dbapi_connection, _record) -> None:
    """PostgreSQL's JIT compiler off on every connection (issue 22): it starts once a plan's estimated cost passes
    jit_above_cost, and a page's capped count over a few thousand rows (the meetings page's candidates: 6,000 at
    30,000 proposals) then spent ~45 ms compiling a query that runs in ~2 ms. Short web queries never repay it."""
    if type(dbapi_connection).__module__.startswith("psycopg"):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()  # a session setting, kept past the pool's rollback on return


class Migrations:
    """Flask-Migrate, bound when a migration first runs (`flask db …`, flask_migrate.upgrade): Alembic, a sixth of
    a second of imports, never loads in a web worker's start (issue 22)."""

    def init_app(self, app, db, **kwargs) -> None:
        app.extensions["migrate"] = _PendingMigrate(app, db, kwargs)
        app.cli.add_command(_MigrationCommands("db", help="数据库迁移（Alembic，经 Flask-Migrate）"))


class _PendingMigrate:
    """app.extensions["migrate"] until it is first read: then flask_migrate.Migrate is bound (it puts its own
    config there, and its `db` commands) and the read answered from it."""

    def __init__(self, app, db, kwargs: dict):
        self.app, self.db, self.kwargs = app, db, kwargs

    def __getattr__(self, name: str):
        from flask_migrate import Migrate

        Migrate(self.app, self.db, **self.kwargs)
        return getattr(self.app.extensions["migrate"], name)


class _MigrationCommands(click.Group):
    """flask_migrate's `db` command group, imported when the command line runs it (`flask --help` lists this one)."""

    def make_context(self, info_name, args, parent=None, **extra):
        from flask_migrate.cli import db as group

        return group.make_context(info_name, args, parent=parent, **extra)


migrate = Migrations()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.login_message_category = "warning"


def sqlite_write_locked() -> bool:
    """Whether this context's session holds SQLite's only write lock (its transaction has written). A write meant
    to be seen at once on a connection of its own (progress, a first-use audit line) would then wait for this
    very transaction and fail after the busy timeout: it goes with the session's transaction instead."""
    session = db.session()  # this context's session (the scoped proxy does not offer in_transaction)
    if db.engine.dialect.name != "sqlite" or not session.in_transaction():
        return False
    return bool(session.connection().connection.driver_connection.in_transaction)
