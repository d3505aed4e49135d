-- Orders written by the order-processor Lambda from OrderPlaced / PaymentProcessed events.
-- Money is integer minor units (cents) of the order currency.

CREATE TABLE orders (
  order_id            text PRIMARY KEY,
  customer_id         text NOT NULL,
  currency            char(3) NOT NULL,
  total_cents         bigint NOT NULL CHECK (total_cents >= 0),
  placed_at           timestamptz NOT NULL,
  -- 'pending' until a PaymentProcessed event for the order is applied.
  payment_status      text NOT NULL DEFAULT 'pending'
                      CHECK (payment_status IN ('pending', 'authorized', 'captured', 'failed', 'refunded')),
  payment_updated_at  timestamptz,
  source_event_id     text NOT NULL,
  -- Set once the order was sent to the order management system's FIFO queue. A redelivered event
  -- finds it NULL when the send did not happen (crash after commit) and sends again.
  forwarded_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id, placed_at);

CREATE TABLE order_lines (
  order_id          text NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
  line_number       integer NOT NULL CHECK (line_number > 0),
  sku               text NOT NULL,
  quantity          integer NOT NULL CHECK (quantity > 0),
  unit_price_cents  bigint NOT NULL CHECK (unit_price_cents >= 0),
  PRIMARY KEY (order_id, line_number)
);

-- Every PaymentProcessed event applied, kept even when it arrives before its order: the order's
-- payment_status is derived from the latest one when the order is written.
CREATE TABLE payments (
  payment_id       text NOT NULL,
  status           text NOT NULL CHECK (status IN ('authorized', 'captured', 'failed', 'refunded')),
  order_id         text NOT NULL,
  amount_cents     bigint NOT NULL CHECK (amount_cents >= 0),
  currency         char(3) NOT NULL,
  processed_at     timestamptz NOT NULL,
  source_event_id  text NOT NULL,
  PRIMARY KEY (payment_id, status)
);
CREATE INDEX payments_order_id_idx ON payments (order_id, processed_at);

-- Idempotency keys of messages a consumer has applied, inserted in the same transaction as the
-- change they guard. Keys are business keys (order id, payment id + status) rather than EventBridge
-- event ids, so a publisher that retries PutEvents (new event id, same order) is deduplicated too.
CREATE TABLE processed_messages (
  consumer      text NOT NULL,
  message_key   text NOT NULL,
  event_id      text NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_key)
);
