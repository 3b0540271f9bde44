"""Extension objects, bound to the app in create_app."""
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DDL, event, MetaData
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
migrate = Migrate()
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
