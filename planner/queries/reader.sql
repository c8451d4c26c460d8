-- The role reading the catalog: `schema dump` leaves out the owners that are this role.
SELECT quote_ident(current_user) AS role
