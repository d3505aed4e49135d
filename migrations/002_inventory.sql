-- Stock on hand per SKU, decremented by the inventory Lambda from InventoryReserved events.

CREATE TABLE inventory (
  sku         text PRIMARY KEY,
  -- The CHECK is the last line of defence: a decrement that would oversell fails instead of committing.
  available   integer NOT NULL CHECK (available >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per reservation id ever applied: the idempotency key of the inventory consumer and the
-- record of its business outcome. 'insufficient_stock' is a normal outcome (the shopper lost the race
-- for the last units); it is recorded here, not retried and not sent to the DLQ.
CREATE TABLE inventory_reservations (
  reservation_id   text PRIMARY KEY,
  order_id         text NOT NULL,
  sku              text NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  outcome          text NOT NULL CHECK (outcome IN ('pending', 'reserved', 'insufficient_stock')),
  available_after  integer,
  source_event_id  text NOT NULL,
  processed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_reservations_order_id_idx ON inventory_reservations (order_id);
CREATE INDEX inventory_reservations_insufficient_idx ON inventory_reservations (sku, processed_at) WHERE outcome = 'insufficient_stock';
