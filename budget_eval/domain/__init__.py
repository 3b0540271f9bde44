"""Pure domain logic: plain functions over plain data. Imports neither Flask nor SQLAlchemy."""
