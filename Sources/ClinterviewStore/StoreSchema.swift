/// The service store's schema, roles and rules, in PostgreSQL. `store init`
/// runs every statement in one transaction; each is written to be run again,
/// so init on a store of an earlier version upgrades it, and on a current one
/// changes nothing. Each version a store has reached is a row of
/// `clinterview.schema_version`; the other commands refuse a store whose
/// version is not this one.
///
/// What must hold:
/// - rows are only ever inserted: UPDATE, DELETE and TRUNCATE are refused by
///   a trigger, for every role including the tables' owner, and no role but
///   the owner is granted them;
/// - a clinician (a login role granted `clinterview_clinician`) inserts and
///   reads only rows whose `owner` is itself (row-level security);
/// - an auditor (`clinterview_auditor`) reads `clinterview.audit_results`
///   only: results with pseudonymised client ids and no free text;
/// - an administrator (`clinterview_admin`) creates login roles and grants
///   them the other two;
/// - a result's `statuses` has one letter per diagnosis of its definition, in
///   the definition's order (`m` met, `n` not met, `?` undetermined), and
///   `clinterview.definitions` holds that order with each diagnosis' label
///   and period: outcomes read these few bytes, not the diagnoses' JSON.
public enum StoreSchema {
    public static let version = 3

    public static let statements: [String] =
        [
            "CREATE SCHEMA IF NOT EXISTS clinterview",
            role("clinterview_clinician", "NOLOGIN"),
            role("clinterview_auditor", "NOLOGIN"),
            role("clinterview_admin", "NOLOGIN CREATEROLE"),
            "GRANT clinterview_clinician, clinterview_auditor TO clinterview_admin WITH ADMIN OPTION",
            """
            CREATE TABLE IF NOT EXISTS clinterview.schema_version (
                version integer PRIMARY KEY, installed_at timestamptz NOT NULL DEFAULT now())
            """,
            "INSERT INTO clinterview.schema_version (version) SELECT generate_series(1, \(version)) ON CONFLICT DO NOTHING",
            // The key behind client pseudonyms: readable by the owner only.
            "CREATE TABLE IF NOT EXISTS clinterview.secret (key text NOT NULL)",
            "INSERT INTO clinterview.secret SELECT gen_random_uuid()::text WHERE NOT EXISTS (SELECT 1 FROM clinterview.secret)",
            """
            CREATE OR REPLACE FUNCTION clinterview.pseudonym(client text) RETURNS text
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = clinterview, pg_temp AS $$
                SELECT 'P-' || left(encode(sha256(convert_to((SELECT key FROM secret LIMIT 1) || ':' || client, 'UTF8')), 'hex'), 16)
            $$
            """,
            "REVOKE ALL ON FUNCTION clinterview.pseudonym(text) FROM PUBLIC",
            """
            CREATE TABLE IF NOT EXISTS clinterview.sessions (
                session_id text PRIMARY KEY,
                owner name NOT NULL DEFAULT current_user,
                client text NOT NULL,
                client_pseudonym text NOT NULL DEFAULT '',
                rater text NOT NULL,
                role text NOT NULL,
                interview_id text NOT NULL,
                interview_version text NOT NULL,
                definition_sha256 text NOT NULL,
                blind boolean NOT NULL,
                time_frame text,
                started_at timestamptz NOT NULL,
                assessed_at timestamptz,
                synced_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE IF NOT EXISTS clinterview.records (
                session_id text NOT NULL REFERENCES clinterview.sessions,
                seq integer NOT NULL,
                owner name NOT NULL DEFAULT current_user,
                recorded_at timestamptz NOT NULL,
                type text NOT NULL,
                line text NOT NULL,
                hash text NOT NULL,
                synced_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (session_id, seq))
            """,
            """
            CREATE TABLE IF NOT EXISTS clinterview.results (
                session_id text NOT NULL REFERENCES clinterview.sessions,
                head_seq integer NOT NULL,
                head_hash text NOT NULL,
                owner name NOT NULL DEFAULT current_user,
                status text NOT NULL,
                engine_version text NOT NULL,
                definition_sha256 text NOT NULL,
                diagnoses jsonb NOT NULL,
                scores jsonb NOT NULL,
                alerts jsonb NOT NULL,
                computed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (session_id, head_seq))
            """,
            // The pseudonym is set by the store, never by the client program.
            """
            CREATE OR REPLACE FUNCTION clinterview.set_pseudonym() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = clinterview, pg_temp AS $$
            BEGIN NEW.client_pseudonym := clinterview.pseudonym(NEW.client); RETURN NEW; END $$
            """,
            "CREATE OR REPLACE TRIGGER set_pseudonym BEFORE INSERT ON clinterview.sessions FOR EACH ROW EXECUTE FUNCTION clinterview.set_pseudonym()",
            """
            CREATE OR REPLACE FUNCTION clinterview.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'clinterview: % on %.% is refused: the service store is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END $$
            """,
        ] + ["sessions", "records", "results"].flatMap(appendOnly) + version2 + version3 + [
            // The views, in their latest form only: a view may gain columns
            // at its end, never lose them, so each is defined once, after
            // every version's tables.
            // The auditor's outcomes: each session's latest result, pseudonymised.
            """
            CREATE OR REPLACE VIEW clinterview.audit_latest_results AS
                SELECT s.session_id, s.client_pseudonym, s.rater, s.role, s.interview_id, s.blind,
                    coalesce(s.assessed_at, s.started_at) AS assessed_at, r.definition_sha256, r.statuses, r.score_values,
                    r.fidelity_values
                FROM clinterview.sessions s CROSS JOIN LATERAL (SELECT definition_sha256, statuses, score_values,
                    fidelity_values
                    FROM clinterview.results WHERE session_id = s.session_id ORDER BY head_seq DESC LIMIT 1) r
            """,
            """
            CREATE OR REPLACE VIEW clinterview.audit_results AS
                SELECT s.session_id, s.client_pseudonym, s.rater, s.role, s.interview_id, s.interview_version,
                    s.blind, s.time_frame, s.started_at,
                    coalesce(s.assessed_at, s.started_at) AS assessed_at, r.head_seq, r.status, r.engine_version, r.definition_sha256,
                    r.diagnoses, r.scores, r.alerts, r.computed_at, r.statuses, r.fidelity
                FROM clinterview.sessions s JOIN clinterview.results r USING (session_id)
            """,
            "REVOKE ALL ON ALL TABLES IN SCHEMA clinterview FROM PUBLIC",
            "GRANT USAGE ON SCHEMA clinterview TO clinterview_clinician, clinterview_auditor",
            "GRANT SELECT, INSERT ON clinterview.sessions, clinterview.records, clinterview.results TO clinterview_clinician",
            "GRANT SELECT, INSERT ON clinterview.definitions TO clinterview_clinician",
            "GRANT SELECT ON clinterview.schema_version TO clinterview_clinician, clinterview_auditor",
            "GRANT SELECT ON clinterview.audit_results, clinterview.audit_latest_results, clinterview.definitions TO clinterview_auditor",
        ]

    /// Version 2: each result's statuses in a few letters, and each
    /// definition's diagnoses once. A year of results' diagnoses is over a
    /// gigabyte of JSON; their statuses, 7 MB.
    static let version2: [String] =
        [
            """
            CREATE OR REPLACE FUNCTION clinterview.status_letters(diagnoses jsonb) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT coalesce(string_agg(CASE e->>'status' WHEN 'met' THEN 'm' WHEN 'not_met' THEN 'n' ELSE '?' END,
                    '' ORDER BY i), '')
                FROM jsonb_array_elements(diagnoses) WITH ORDINALITY AS t(e, i)
            $$
            """,
            """
            CREATE OR REPLACE FUNCTION clinterview.diagnosis_list(diagnoses jsonb) RETURNS jsonb
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT coalesce(jsonb_agg(jsonb_build_object('id', e->'id', 'label', e->'label', 'period', e->'period')
                    ORDER BY i), '[]')
                FROM jsonb_array_elements(diagnoses) WITH ORDINALITY AS t(e, i)
            $$
            """,
            // The scores that have a value, one "id value" per line: what outcomes read of them.
            """
            CREATE OR REPLACE FUNCTION clinterview.score_values(scores jsonb) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT coalesce(string_agg((e->>'id') || ' ' || (e->>'value'), E'\\n'), '')
                FROM jsonb_array_elements(scores) AS e WHERE jsonb_typeof(e->'value') = 'number'
            $$
            """,
            // Computed by the server for every row, those stored before too: no row is updated.
            """
            ALTER TABLE clinterview.results
                ADD COLUMN IF NOT EXISTS statuses text GENERATED ALWAYS AS (clinterview.status_letters(diagnoses)) STORED,
                ADD COLUMN IF NOT EXISTS score_values text GENERATED ALWAYS AS (clinterview.score_values(scores)) STORED
            """,
            // Outcomes read sessions in client order, and their latest result; the
            // auditor's pseudonym order is random on disk, so what it reads of a
            // session is in the index itself.
            """
            CREATE INDEX IF NOT EXISTS sessions_by_client ON clinterview.sessions (client, session_id)
                INCLUDE (rater, role, assessed_at, started_at, interview_id, blind)
            """,
            """
            CREATE INDEX IF NOT EXISTS sessions_by_pseudonym ON clinterview.sessions (client_pseudonym, session_id)
                INCLUDE (rater, role, assessed_at, started_at, interview_id, blind)
            """,
            """
            CREATE TABLE IF NOT EXISTS clinterview.definitions (
                definition_sha256 text PRIMARY KEY,
                interview_id text NOT NULL,
                interview_version text NOT NULL,
                diagnoses jsonb NOT NULL,
                stored_at timestamptz NOT NULL DEFAULT now())
            """,
            // Each definition of a result stored before, from one of its results.
            """
            INSERT INTO clinterview.definitions (definition_sha256, interview_id, interview_version, diagnoses)
                SELECT missing.sha, s.interview_id, s.interview_version, clinterview.diagnosis_list(one.diagnoses)
                FROM (SELECT DISTINCT definition_sha256 AS sha FROM clinterview.results
                      EXCEPT SELECT definition_sha256 FROM clinterview.definitions) missing
                CROSS JOIN LATERAL (SELECT session_id, diagnoses FROM clinterview.results
                    WHERE definition_sha256 = missing.sha LIMIT 1) one
                JOIN clinterview.sessions s USING (session_id)
            ON CONFLICT DO NOTHING
            """,
        ] + refusingChanges("definitions")

    /// Version 3: how each session was administered, for fidelity per assessor.
    static let version3: [String] = [
        "ALTER TABLE clinterview.results ADD COLUMN IF NOT EXISTS fidelity jsonb",
        // The figures outcomes read, in the order `ServiceStore.fidelity` reads them.
        """
        CREATE OR REPLACE FUNCTION clinterview.fidelity_values(fidelity jsonb) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT concat_ws(' ', fidelity->>'answers', fidelity->>'quick_answers',
                coalesce(fidelity->>'seconds_per_answer', '-'), fidelity->>'minutes', fidelity->>'skipped',
                fidelity->>'inadequate', fidelity->>'overridden', fidelity->>'amended_after_completion',
                fidelity->>'completed',
                coalesce((SELECT string_agg((m->>'id') || ':' || (m->>'seconds') || ':' || (m->>'expected'), ',')
                    FROM jsonb_array_elements(fidelity->'modules') AS m), '-'),
                coalesce((SELECT string_agg(i #>> '{}', ',') FROM jsonb_array_elements(fidelity->'skipped_items') AS i),
                    '-'))
            WHERE fidelity IS NOT NULL
        $$
        """,
        """
        ALTER TABLE clinterview.results ADD COLUMN IF NOT EXISTS fidelity_values text
            GENERATED ALWAYS AS (clinterview.fidelity_values(fidelity)) STORED
        """,
        // Each session's latest result as outcomes read it, from the index alone.
        """
        CREATE INDEX IF NOT EXISTS results_latest ON clinterview.results (session_id, head_seq DESC)
            INCLUDE (definition_sha256, statuses, score_values, fidelity_values)
        """,
    ]

    private static func role(_ name: String, _ options: String) -> String {
        """
        DO $$ BEGIN CREATE ROLE \(name) \(options);
        EXCEPTION WHEN duplicate_object THEN NULL; END $$
        """
    }

    /// Triggers that refuse changes, and row-level security by owner.
    private static func appendOnly(_ table: String) -> [String] {
        refusingChanges(table) + [
            "ALTER TABLE clinterview.\(table) ENABLE ROW LEVEL SECURITY",
            "DROP POLICY IF EXISTS own_rows ON clinterview.\(table)",
            "CREATE POLICY own_rows ON clinterview.\(table) TO clinterview_clinician USING (owner = current_user) WITH CHECK (owner = current_user)",
        ]
    }

    private static func refusingChanges(_ table: String) -> [String] {
        [
            "CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE OR DELETE ON clinterview.\(table) FOR EACH ROW EXECUTE FUNCTION clinterview.refuse_change()",
            "CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON clinterview.\(table) FOR EACH STATEMENT EXECUTE FUNCTION clinterview.refuse_change()",
        ]
    }
}
