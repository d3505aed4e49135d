"""Unit tests of the pure transform (run by the mocha suite with `python3 -m unittest`)."""
import json
import os
import tempfile
import unittest
from datetime import datetime, timezone

import curated_etl as etl

HERE = os.path.dirname(os.path.abspath(__file__))
MAPPING = etl.load_mapping(os.path.join(HERE, "curated_schema.json"))


def order_placed(**detail):
    base = {
        "orderId": "o-1", "customerId": "c-9", "currency": "eur", "placedAt": "2026-03-01T23:30:00-02:00",
        "lines": [{"sku": " SKU-1 ", "quantity": 2, "unitPriceCents": 1250}, {"sku": "SKU-2", "quantity": "1", "unitPriceCents": 500}],
        "totalCents": 3000,
    }
    base.update(detail)
    return {"id": "evt-1", "detail-type": "OrderPlaced", "source": "retail.checkout", "time": "2026-03-01T23:30:01Z", "detail": base}


class TransformTest(unittest.TestCase):
    def test_order_lines_are_exploded_cast_normalised_and_partitioned_by_utc_date(self):
        rows = etl.transform_record(MAPPING["orders"], order_placed())
        self.assertEqual(len(rows), 2)
        first, second = rows
        self.assertEqual(first["product_id"], "SKU-1")
        self.assertEqual(first["currency"], "EUR")
        self.assertEqual(first["quantity"], 2)
        self.assertEqual(second["quantity"], 1, "numeric strings are cast")
        self.assertEqual(first["placed_at"], datetime(2026, 3, 2, 1, 30, tzinfo=timezone.utc))
        self.assertEqual(first["dt"], "2026-03-02", "the partition is the UTC date of the event time")
        self.assertEqual(set(first), {c["name"] for c in MAPPING["orders"]["columns"]} | {"dt"})

    def test_other_event_types_in_the_prefix_are_skipped(self):
        payment = {"id": "evt-2", "detail-type": "PaymentProcessed", "time": "2026-03-01T10:00:00Z", "detail": {"orderId": "o-1"}}
        self.assertEqual(etl.transform_record(MAPPING["orders"], payment), [])

    def test_a_line_missing_a_required_field_is_dropped_alone(self):
        record = order_placed(lines=[{"sku": "", "quantity": 1}, {"sku": "SKU-3", "quantity": 4, "unitPriceCents": 1}])
        rows = etl.transform_record(MAPPING["orders"], record)
        self.assertEqual([r["product_id"] for r in rows], ["SKU-3"])

    def test_uncastable_values_become_null_not_errors(self):
        rows = etl.transform_record(MAPPING["orders"], order_placed(totalCents="lots"))
        self.assertIsNone(rows[0]["order_total_cents"])
        self.assertIsNone(etl.cast(2 ** 40, "int"), "out of int32 range")
        self.assertEqual(etl.cast(2 ** 40, "bigint"), 2 ** 40)
        self.assertIsNone(etl.cast(1.5, "bigint"))
        self.assertIsNone(etl.cast(True, "int"))
        self.assertEqual(etl.cast("TRUE", "boolean"), True)

    def test_bad_event_time_skips_the_record(self):
        self.assertEqual(etl.transform_record(MAPPING["orders"], order_placed(placedAt="yesterday")), [])
        self.assertEqual(etl.transform_record(MAPPING["orders"], "not a record"), [])

    def test_inventory_and_products(self):
        reserved = {"id": "e3", "detail-type": "InventoryReserved", "time": "2026-03-05T08:00:00Z",
                    "detail": {"reservationId": "r-1", "orderId": "o-1", "sku": "SKU-1", "quantity": 3}}
        [row] = etl.transform_record(MAPPING["inventory"], reserved)
        self.assertEqual((row["product_id"], row["quantity"], row["dt"]), ("SKU-1", 3, "2026-03-05"))
        product = {"id": "e4", "detail-type": "ProductUpdated", "time": "2026-03-06T08:00:00+00:00",
                   "detail": {"sku": "SKU-1", "name": " Mug ", "category": "Kitchen", "priceCents": "899", "active": "false"}}
        [row] = etl.transform_record(MAPPING["products"], product)
        self.assertEqual((row["name"], row["category"], row["price_cents"], row["active"]), ("Mug", "kitchen", 899, False))

    def test_mapping_is_json_serialisable_and_checked(self):
        json.dumps(MAPPING)
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "mapping.json")
            with open(bad, "w", encoding="utf-8") as f:
                json.dump({"x": {"eventTime": "time", "columns": [{"name": "dt", "type": "string", "source": "id"}]}}, f)
            with self.assertRaises(ValueError):
                etl.load_mapping(bad)


if __name__ == "__main__":
    unittest.main()
