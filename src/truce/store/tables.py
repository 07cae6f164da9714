"""The tables. Alembic migrations in ``migrations/`` are the schema authority;
these definitions are what the code queries and must match them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from .types import UTCDateTime

metadata = MetaData()

parties = Table(
    "parties", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
)

actors = Table(
    "actors", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("party_id", String(32), ForeignKey("parties.id")),
    Column("aliases", JSON, nullable=False, default=list),
)

sources = Table(
    "sources", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("published", UTCDateTime),
    Column("actor_id", String(64), ForeignKey("actors.id")),
    Column("affiliation", String(32), ForeignKey("parties.id")),
    Column("url", Text),
    Column("repeats", String(64), ForeignKey("sources.id")),
)

places = Table(
    "places", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("country", String(2), nullable=False),
    Column("admin1", String(32)),
    Column("population", Integer),
    Column("alternatenames", JSON, nullable=False, default=list),
    Column("origin", String(32), nullable=False, default="geonames"),
)

place_names = Table(
    "place_names", metadata,
    Column("place_id", String(64), ForeignKey("places.id"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Index("ix_place_names_key", "key"),
)

incidents = Table(
    "incidents", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("sub_type", String(64)),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime, nullable=False),
    Column("time_precision", String(16), nullable=False),
    Column("place_id", String(64), ForeignKey("places.id")),
    Column("place_name", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", String(16), nullable=False),
    Column("country", String(2)),
    Column("weapon_class", String(32), nullable=False),
    Column("target_type", String(16), nullable=False),
    Column("damage", Text),
    Column("status", String(16), nullable=False),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("grade", String(16)),
    Column("grade_reasons", JSON, nullable=False, default=list),
    Column("grade_override", String(16)),
    Column("grade_override_reason", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_incidents_start", "start"),
    Index("ix_incidents_status_start_id", "status", "start", "id"),
)

reports = Table(
    "reports", metadata,
    Column("id", String(64), primary_key=True),
    Column("source_id", String(64), ForeignKey("sources.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("received", UTCDateTime, nullable=False),
    Column("observed_at", UTCDateTime),
    Column("summary", Text, nullable=False),
    Column("place_id", String(64), ForeignKey("places.id")),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("observer_id", String(64)),
    Column("corrects", String(64), ForeignKey("reports.id")),
    Column("payload", JSON, nullable=False, default=dict),
    Column("content_hash", String(64), nullable=False),
    Column("signature", Text),
    Index("ix_reports_received", "received"),
)

incident_reports = Table(
    "incident_reports", metadata,
    Column("incident_id", String(64), ForeignKey("incidents.id"), primary_key=True),
    Column("report_id", String(64), ForeignKey("reports.id"), primary_key=True),
    Index("ix_incident_reports_report", "report_id"),
)

claims = Table(
    "claims", metadata,
    Column("id", String(64), primary_key=True),
    Column("incident_id", String(64), ForeignKey("incidents.id")),
    Column("control_id", String(64), ForeignKey("controls.id")),
    Column("actor_id", String(64), ForeignKey("actors.id"), nullable=False),
    Column("source_id", String(64), ForeignKey("sources.id")),
    Column("stance", String(16), nullable=False),
    Column("proposition", String(16), nullable=False),
    Column("value", Text),
    Column("text", Text),
    Column("status", String(16), nullable=False, default="published"),
    Column("submitted_by", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_claims_incident", "incident_id"),
)

casualty_figures = Table(
    "casualty_figures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", String(64), ForeignKey("incidents.id"), nullable=False),
    Column("category", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", Integer, nullable=False),
    Column("qualifier", String(16), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("source_id", String(64), ForeignKey("sources.id")),
    Column("as_of", Date),
    Column("text", Text),
    Index("ix_casualty_figures_incident", "incident_id"),
)

controls = Table(
    "controls", metadata,
    Column("id", String(64), primary_key=True),
    Column("place_id", String(64), ForeignKey("places.id")),
    Column("place_name", Text, nullable=False),
    Column("party_id", String(32), ForeignKey("parties.id"), nullable=False),
    Column("previous_party", String(32), ForeignKey("parties.id")),
    Column("start", Date, nullable=False),
    Column("grade", String(16)),
)

agreements = Table(
    "agreements", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("parties", JSON, nullable=False),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime),
    Column("scope", String(32), nullable=False),
    Column("source_id", String(64), ForeignKey("sources.id")),
    Column("terms", JSON, nullable=False),
)

line_versions = Table(
    "line_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("valid_from", Date, nullable=False),
    Column("sector", Text, nullable=False),
    Column("geojson", JSON, nullable=False),
)

alerts = Table(
    "alerts", metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("raised_at", UTCDateTime, nullable=False),
    Column("message", Text, nullable=False),
    Column("incident_ids", JSON, nullable=False),
    Column("agreement_id", String(64), ForeignKey("agreements.id")),
    Column("sector", Text),
    Column("acknowledged_at", UTCDateTime),
    Column("acknowledged_by", String(64)),
    Column("note", Text),
)

users = Table(
    "users", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("party_id", String(32), ForeignKey("parties.id")),
    Column("token_hash", Text, nullable=False),
    Column("token_prefix", String(16), nullable=False),
    Column("public_key", Text),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_users_token_prefix", "token_prefix"),
)

proposals = Table(
    "proposals", metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("source_id", String(64), ForeignKey("sources.id")),
    Column("status", String(16), nullable=False, default="pending"),
    Column("decided_by", String(64)),
    Column("decided_at", UTCDateTime),
    Column("result_id", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_proposals_status", "status"),
)

ledger = Table(
    "ledger", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(200)),
    Column("action", String(64), nullable=False),
    Column("record_id", String(200), nullable=False),
    Column("content", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

ledger_head = Table(
    "ledger_head", metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

# -- revision 0002: evidence, geometry facts, violations, webhooks --

evidence = Table(
    "evidence", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("report_id", String(64), ForeignKey("reports.id"), primary_key=True),
    Column("filename", Text, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("stored_path", Text, nullable=False),
    Column("received", UTCDateTime, nullable=False),
)

incident_geo = Table(
    "incident_geo", metadata,
    Column("incident_id", String(64), ForeignKey("incidents.id"), primary_key=True),
    Column("line_valid_from", Date),
    Column("distance_to_line_m", Float),
    Column("side", String(32)),
    Column("sector", Text),
    Column("sovereign_country", String(2)),
    Column("in_disputed_region", Boolean),
    Column("populated_place_id", String(64), ForeignKey("places.id")),
    Column("computed_at", UTCDateTime, nullable=False),
    Index("ix_incident_geo_sector", "sector"),
)

violations = Table(
    "violations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agreement_id", String(64), ForeignKey("agreements.id"), nullable=False),
    Column("incident_id", String(64), ForeignKey("incidents.id"), nullable=False),
    Column("term", String(64), nullable=False),
    Column("responsible", String(32)),
    Column("basis", String(16), nullable=False),
    Column("claim_ids", JSON, nullable=False, default=list),
    Column("grade", String(16)),
    Column("day", Date, nullable=False),
    Column("sector", Text),
    Column("computed_at", UTCDateTime, nullable=False),
    Index("ix_violations_agreement_day", "agreement_id", "day"),
    Index("ix_violations_incident", "incident_id"),
)

webhooks = Table(
    "webhooks", metadata,
    Column("id", String(64), primary_key=True),
    Column("url", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("webhook_id", String(64), ForeignKey("webhooks.id"), nullable=False),
    Column("alert_id", String(64), ForeignKey("alerts.id"), nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime),
    Column("last_error", Text),
    Index("ix_webhook_deliveries_status", "status", "next_attempt_at"),
)

# -- revision 0003: API tokens may expire (NULL: never) --

users.append_column(Column("token_expires_at", UTCDateTime))

# -- revision 0005: field app: enrolment codes, tasks for observers, resumable uploads --

enrolments = Table(
    "enrolments", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
    Index("ix_enrolments_user", "user_id"),
)

tasks = Table(
    "tasks", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("look_for", Text, nullable=False),
    Column("place_name", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("radius_m", Float),
    Column("window_start", UTCDateTime, nullable=False),
    Column("window_end", UTCDateTime, nullable=False),
    Column("observer_id", String(64), ForeignKey("users.id")),
    Column("case_id", String(64)),
    Column("status", String(16), nullable=False, default="open"),
    Column("created_by", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_tasks_status", "status", "window_end"),
)

task_reports = Table(
    "task_reports", metadata,
    Column("task_id", String(64), ForeignKey("tasks.id"), primary_key=True),
    Column("report_id", String(64), ForeignKey("reports.id"), primary_key=True),
    Column("linked_at", UTCDateTime, nullable=False),
)

uploads = Table(
    "uploads", metadata,
    Column("id", String(64), primary_key=True),
    Column("report_id", String(64), ForeignKey("reports.id"), nullable=False),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("filename", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime),
    Index("ix_uploads_report_sha", "report_id", "sha256", unique=True),
)

# -- revision 0006: why a claim was rejected or shown false, and by which source --

claims.append_column(Column("status_reason", Text))
claims.append_column(Column("refuted_by", String(64), ForeignKey("sources.id", name="fk_claims_refuted_by_sources")))

# -- revision 0007: the RFC 9162 Merkle tree over the ledger, signed checkpoints --

ledger.append_column(Column("leaf_hash", LargeBinary))
Index("ix_ledger_record_id_seq", ledger.c.record_id, ledger.c.seq)
ledger_head.append_column(Column("frontier", LargeBinary))

ledger_nodes = Table(
    "ledger_nodes", metadata,
    # level << 40 | index; INTEGER PRIMARY KEY on SQLite (the rowid itself)
    Column("key", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False),
    Column("hash", LargeBinary, nullable=False),
)

cosignatures = Table(
    "cosignatures", metadata,
    Column("tree_size", Integer, primary_key=True),
    Column("witness", String(200), primary_key=True),
    Column("root_hash", LargeBinary, nullable=False),
    Column("line", Text, nullable=False),
    Column("vkey", Text, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

# -- revision 0008: the time of what an alert concerns --

alerts.append_column(Column("event_at", UTCDateTime, nullable=False))
Index("ix_alerts_event_at", alerts.c.event_at)

# -- revision 0009: what a source relays; an analyst's decision on an observer report --

sources.append_column(Column("relays", JSON))
incidents.append_column(Column("location_uncertainty_m", Float))

report_reviews = Table(
    "report_reviews", metadata,
    Column("report_id", String(64), ForeignKey("reports.id"), primary_key=True),
    Column("decision", String(16), nullable=False),  # incident | attached | no_incident
    Column("incident_id", String(64), ForeignKey("incidents.id")),
    Column("reason", Text),
    Column("decided_by", String(200)),
    Column("decided_at", UTCDateTime, nullable=False),
)

# -- revision 0010: key history --

user_changes = Table(
    "user_changes", metadata,
    # a change to who a user is: a new signing key or a new role. Proposed by
    # one admin and approved by another, or (a key) requested by the user
    # signed with the key it replaces.
    Column("id", String(64), primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # key | enrolment | role
    Column("public_key", Text),  # kind key: the new key
    Column("role", String(16)),  # kind role: the new role
    Column("party_id", String(32)),  # kind role: the party of a new liaison
    Column("reason", Text, nullable=False),
    Column("proposed_by", String(200), nullable=False),
    Column("proposed_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),  # pending | approved | rejected | superseded | signed
    Column("decided_by", String(200)),
    Column("decided_at", UTCDateTime),
    Column("request", JSON),  # kind key by the user: the signed request, as received
    Index("ix_user_changes_user", "user_id"),
)

user_keys = Table(
    "user_keys", metadata,
    # append-only: a key is never rewritten or deleted; only an open key's
    # validity is closed (valid_until, ended_by, end_reason), once
    Column("id", String(64), primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("public_key", Text, nullable=False),
    Column("valid_from", UTCDateTime, nullable=False),
    Column("valid_until", UTCDateTime),
    Column("added_by", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("change_id", String(64), ForeignKey("user_changes.id")),
    Column("ended_by", String(200)),
    Column("end_reason", Text),
    Index("ix_user_keys_user_valid_from", "user_id", "valid_from"),
    UniqueConstraint("change_id", name="uq_user_keys_change_id"),  # a change authorises one key
)

enrolments.append_column(Column("change_id", String(64)))  # a re-enrolment: the approval it waits for

# -- revision 0011: the joint commission's casework --

commission_rules = Table(
    "commission_rules", metadata,
    Column("agreement_id", String(64), ForeignKey("agreements.id"), primary_key=True),
    Column("finding_hours", Integer, nullable=False),
    Column("reply_hours", Integer, nullable=False),
    Column("request_hours", Integer, nullable=False),
    Column("quorum", JSON, nullable=False),  # seats: party ids and "mediator"; [] = the default
)

commission_members = Table(
    "commission_members", metadata,
    Column("agreement_id", String(64), ForeignKey("agreements.id"), primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id"), primary_key=True),
    Column("seat", String(32), nullable=False),
)

cases = Table(
    "cases", metadata,
    Column("id", String(64), primary_key=True),
    Column("number", Integer, nullable=False, unique=True),
    Column("agreement_id", String(64), ForeignKey("agreements.id"), nullable=False),
    Column("origin", String(16), nullable=False),  # complaint | alert | incident
    Column("alert_id", String(64), ForeignKey("alerts.id")),
    Column("complainant", String(32), ForeignKey("parties.id")),
    Column("accused", String(32), ForeignKey("parties.id")),
    Column("term", String(64)),
    Column("incident_ids", JSON, nullable=False),
    Column("allegation", JSON),  # a new allegation: {"at", "place", "what"}
    Column("summary", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("filed_by", String(200)),
    Column("filed_at", UTCDateTime, nullable=False),
    Column("opened_by", String(200)),
    Column("opened_at", UTCDateTime),
    Column("due_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Index("ix_cases_status_due", "status", "due_at"),
)

case_evidence = Table(
    "case_evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(64), ForeignKey("cases.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # report | incident | evidence | text
    Column("ref", String(200)),
    Column("sha256", String(64), nullable=False),
    Column("note", Text),
    Column("added_by", String(200)),
    Column("added_at", UTCDateTime, nullable=False),
    Index("ix_case_evidence_case", "case_id"),
)

case_requests = Table(
    "case_requests", metadata,
    Column("id", String(64), primary_key=True),
    Column("case_id", String(64), ForeignKey("cases.id"), nullable=False),
    Column("question", Text, nullable=False),
    Column("sent_by", String(200)),
    Column("sent_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Index("ix_case_requests_case", "case_id"),
)

findings = Table(
    "findings", metadata,
    Column("id", String(64), primary_key=True),
    Column("case_id", String(64), ForeignKey("cases.id"), nullable=False, unique=True),
    Column("outcome", String(16), nullable=False),
    Column("party", String(32), ForeignKey("parties.id")),
    Column("term", String(64)),
    Column("reasons", Text, nullable=False),
    Column("cites", JSON, nullable=False),  # [{"kind", "ref", "sha256", "grade"}]
    Column("drafted_by", String(200)),
    Column("drafted_at", UTCDateTime, nullable=False),
    Column("reply_due_at", UTCDateTime, nullable=False),
    Column("published_by", String(200)),
    Column("published_at", UTCDateTime),
)

finding_approvals = Table(
    "finding_approvals", metadata,
    Column("finding_id", String(64), ForeignKey("findings.id"), primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id"), primary_key=True),
    Column("seat", String(32), nullable=False),
    Column("approved_at", UTCDateTime, nullable=False),
)

case_replies = Table(
    "case_replies", metadata,
    Column("id", String(64), primary_key=True),
    Column("case_id", String(64), ForeignKey("cases.id"), nullable=False),
    Column("party", String(32), ForeignKey("parties.id"), nullable=False),
    Column("request_id", String(64), ForeignKey("case_requests.id")),  # None: a reply to the finding
    Column("finding_id", String(64), ForeignKey("findings.id")),
    Column("text", Text, nullable=False),
    Column("by", String(200)),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_case_replies_case", "case_id"),
)

# -- revision 0012: each row entry names the action entry that caused it --

ledger.append_column(Column("cause", Integer))

# -- revision 0013: no new columns; users.token_hash is bound to the user id
#    (``hmac-sha256-user$``) and action entries' cause names their transaction --

# -- revision 0014: no new columns; tasks and task_reports are record tables
#    (row_ledger.RECORD_TABLES) and their rows written before are ledgered --
