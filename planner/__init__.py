"""schema-planner: schema-as-code for PostgreSQL."""
