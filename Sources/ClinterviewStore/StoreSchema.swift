/// The service store's schema, roles and rules, in PostgreSQL. `store init`
/// runs it; running it again changes nothing that exists.
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
///   them the other two.
public enum StoreSchema {
    public static let version = 1

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
            "INSERT INTO clinterview.schema_version (version) VALUES (\(version)) ON CONFLICT DO NOTHING",
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
        ] + ["sessions", "records", "results"].flatMap(appendOnly) + [
            """
            CREATE OR REPLACE VIEW clinterview.audit_results AS
                SELECT s.session_id, s.client_pseudonym, s.rater, s.role, s.interview_id, s.interview_version,
                    s.blind, s.time_frame, s.started_at,
                    coalesce(s.assessed_at, s.started_at) AS assessed_at, r.head_seq, r.status, r.engine_version, r.definition_sha256,
                    r.diagnoses, r.scores, r.alerts, r.computed_at
                FROM clinterview.sessions s JOIN clinterview.results r USING (session_id)
            """,
            "REVOKE ALL ON ALL TABLES IN SCHEMA clinterview FROM PUBLIC",
            "GRANT USAGE ON SCHEMA clinterview TO clinterview_clinician, clinterview_auditor",
            "GRANT SELECT, INSERT ON clinterview.sessions, clinterview.records, clinterview.results TO clinterview_clinician",
            "GRANT SELECT ON clinterview.audit_results TO clinterview_auditor",
        ]

    private static func role(_ name: String, _ options: String) -> String {
        """
        DO $$ BEGIN CREATE ROLE \(name) \(options);
        EXCEPTION WHEN duplicate_object THEN NULL; END $$
        """
    }

    /// Triggers that refuse changes, and row-level security by owner.
    private static func appendOnly(_ table: String) -> [String] {
        [
            "CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE OR DELETE ON clinterview.\(table) FOR EACH ROW EXECUTE FUNCTION clinterview.refuse_change()",
            "CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON clinterview.\(table) FOR EACH STATEMENT EXECUTE FUNCTION clinterview.refuse_change()",
            "ALTER TABLE clinterview.\(table) ENABLE ROW LEVEL SECURITY",
            "DROP POLICY IF EXISTS own_rows ON clinterview.\(table)",
            "CREATE POLICY own_rows ON clinterview.\(table) TO clinterview_clinician USING (owner = current_user) WITH CHECK (owner = current_user)",
        ]
    }
}
