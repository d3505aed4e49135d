"""Daily Glue ETL: raw EventBridge JSON under raw/<domain>/ -> Snappy Parquet under curated/<domain>/dt=YYYY-MM-DD/.

The transformation is the pure function `transform_record`, driven by the schema mapping in curated_schema.json
(the same file declares the curated tables' columns), so it is unit-tested without Spark. `main` is the Glue
entry point: it reads each domain with a job bookmark (a transformation_ctx per source), applies the transform,
writes Parquet partitioned by `dt` and registers each new partition in the Data Catalog as it writes.
"""
import json
import os
import sys
from datetime import date, datetime, timezone

PARTITION_KEY = "dt"
SPARK_TYPES = ("string", "int", "bigint", "double", "boolean", "timestamp", "date")
INT32 = (-(2 ** 31), 2 ** 31 - 1)
INT64 = (-(2 ** 63), 2 ** 63 - 1)


def load_mapping(path):
    """Reads the schema mapping and checks its shape (column types, sources, one time column)."""
    with open(path, encoding="utf-8") as f:
        mapping = json.load(f)
    for domain, spec in mapping.items():
        names = [c["name"] for c in spec["columns"]]
        if len(names) != len(set(names)):
            raise ValueError(f"{domain}: duplicate column names")
        if PARTITION_KEY in names:
            raise ValueError(f"{domain}: {PARTITION_KEY} is the partition key, not a column")
        for c in spec["columns"]:
            if c["type"] not in SPARK_TYPES:
                raise ValueError(f"{domain}.{c['name']}: unsupported type {c['type']}")
    return mapping


def _lookup(record, line, path):
    """Follows a dotted source path in the envelope (`detail.x`, `id`) or the exploded element (`line.x`)."""
    parts = path.split(".")
    if parts[0] == "line":
        value, parts = line, parts[1:]
    else:
        value = record
    for part in parts:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def parse_timestamp(value):
    """ISO-8601 with offset or Z -> aware UTC datetime; None when unparseable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def cast(value, type_name):
    """Casts a JSON value to the column type; None when it cannot be represented (never raises)."""
    if value is None:
        return None
    if type_name == "string":
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), sort_keys=True)
    if type_name in ("int", "bigint"):
        if isinstance(value, bool):
            return None
        if isinstance(value, float):
            if not value.is_integer():
                return None
            value = int(value)
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                return None
        if not isinstance(value, int):
            return None
        low, high = INT32 if type_name == "int" else INT64
        return value if low <= value <= high else None
    if type_name == "double":
        if isinstance(value, bool):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    if type_name == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        return None
    if type_name == "timestamp":
        return parse_timestamp(value)
    if type_name == "date":
        ts = parse_timestamp(value)
        if ts is not None:
            return ts.date()
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None
    raise ValueError(f"unsupported type {type_name}")


def normalize(value, how):
    if not isinstance(value, str) or how is None:
        return value
    value = value.strip()
    if how == "upper":
        return value.upper()
    if how == "lower":
        return value.lower()
    return value


def transform_record(spec, record):
    """One raw envelope -> curated rows (dicts with every column and `dt`); [] for other event types or bad records."""
    if not isinstance(record, dict):
        return []
    if spec.get("detailTypes") and record.get("detail-type") not in spec["detailTypes"]:
        return []
    event_time = parse_timestamp(_lookup(record, None, spec["eventTime"]))
    if event_time is None:
        return []
    lines = [None]
    if spec.get("explode"):
        exploded = _lookup(record, None, spec["explode"])
        if not isinstance(exploded, list) or not exploded:
            return []
        lines = exploded
    rows = []
    for line in lines:
        row = {}
        for column in spec["columns"]:
            value = cast(normalize(_lookup(record, line, column["source"]), column.get("normalize")), column["type"])
            if isinstance(value, str) and value == "" and column.get("required"):
                value = None
            if value is None and column.get("required"):
                break
            row[column["name"]] = value
        else:
            row[PARTITION_KEY] = event_time.strftime("%Y-%m-%d")
            rows.append(row)
    return rows


def spark_schema(spec):
    """The DataFrame schema of a domain's rows (imported lazily: PySpark exists only inside Glue)."""
    from pyspark.sql import types as T
    spark = {
        "string": T.StringType(), "int": T.IntegerType(), "bigint": T.LongType(), "double": T.DoubleType(),
        "boolean": T.BooleanType(), "timestamp": T.TimestampType(), "date": T.DateType(),
    }
    fields = [T.StructField(c["name"], spark[c["type"]], True) for c in spec["columns"]]
    return T.StructType(fields + [T.StructField(PARTITION_KEY, T.StringType(), False)])


def main():  # pragma: no cover - runs only inside AWS Glue
    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext

    args = getResolvedOptions(sys.argv, ["JOB_NAME", "LAKE_BUCKET", "CATALOG_DATABASE", "SCHEMA_FILE", "DOMAINS", "TABLE_PREFIX"])
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    # --extra-files are copied to the script's working directory.
    mapping = load_mapping(os.path.join(os.getcwd(), os.path.basename(args["SCHEMA_FILE"])))
    bucket = args["LAKE_BUCKET"]
    for domain in [d for d in args["DOMAINS"].split(",") if d in mapping]:
        spec = mapping[domain]
        # The bookmark of this source is keyed by its transformation_ctx: each run reads only new objects.
        raw = glue_context.create_dynamic_frame.from_options(
            connection_type="s3",
            connection_options={"paths": [f"s3://{bucket}/raw/{domain}/"], "recurse": True},
            format="json",
            transformation_ctx=f"raw_{domain}",
        )
        records = raw.toDF().toJSON().map(json.loads)
        rows = records.flatMap(lambda record, spec=spec: transform_record(spec, record))
        frame = glue_context.spark_session.createDataFrame(rows.map(lambda r, spec=spec: tuple(r.get(c["name"]) for c in spec["columns"]) + (r[PARTITION_KEY],)), spark_schema(spec))
        if frame.rdd.isEmpty():
            continue
        sink = glue_context.getSink(
            connection_type="s3",
            path=f"s3://{bucket}/curated/{domain}/",
            enableUpdateCatalog=True,
            # LOG keeps the declared table's schema and adds the partitions this run writes.
            updateBehavior="LOG",
            partitionKeys=[PARTITION_KEY],
            transformation_ctx=f"curated_{domain}",
        )
        sink.setFormat("glueparquet", compression="snappy")
        sink.setCatalogInfo(catalogDatabase=args["CATALOG_DATABASE"], catalogTableName=f"{args['TABLE_PREFIX']}{domain}")
        sink.writeFrame(DynamicFrame.fromDF(frame, glue_context, f"curated_{domain}_frame"))
    job.commit()


if __name__ == "__main__":  # pragma: no cover
    main()
