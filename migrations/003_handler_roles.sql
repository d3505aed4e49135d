-- Least-privilege database roles for the Lambda handlers. On Aurora they log in with IAM auth tokens
-- (membership in rds_iam); elsewhere (local PostgreSQL in tests) rds_iam does not exist and is skipped.
-- Roles are cluster-wide, so creation is conditional (several databases may share a cluster).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_processor_lambda') THEN
    CREATE ROLE order_processor_lambda LOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inventory_lambda') THEN
    CREATE ROLE inventory_lambda LOGIN;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN
    GRANT rds_iam TO order_processor_lambda;
    GRANT rds_iam TO inventory_lambda;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO order_processor_lambda, inventory_lambda;

GRANT SELECT, INSERT, UPDATE ON orders TO order_processor_lambda;
GRANT SELECT, INSERT ON order_lines TO order_processor_lambda;
GRANT SELECT, INSERT ON payments TO order_processor_lambda;
GRANT SELECT, INSERT ON processed_messages TO order_processor_lambda;

GRANT SELECT, UPDATE ON inventory TO inventory_lambda;
GRANT SELECT, INSERT, UPDATE ON inventory_reservations TO inventory_lambda;
