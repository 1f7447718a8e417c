"""Patient search folds German umlauts: ``Krueger`` finds Krüger, ``Krüger`` finds Krueger.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

``praxi_search_fold`` is ``praxi_casefold`` plus Unicode NFC composition (a decomposed ``u`` +
combining diaeresis typed on some systems is the same letter as ``ü``) and the German
transliteration ä → ae, ö → oe, ü → ue, ß → ss. The search applies it to both the stored
text and the typed terms, so each spelling finds the other (docs/patients-search.md).

The generated ``search_text`` column cannot change its expression in place on PostgreSQL < 17
(``ALTER COLUMN … SET EXPRESSION``), so it is dropped and added again (with its trigram
index); the table is rewritten once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# normalize() exists only in UTF-8 databases; elsewhere the letters are folded as they come.
# The upper-case umlauts are replaced too because praxi_casefold leaves them upper case
# where no Unicode-aware collation exists (plain C locale, see 0002).
FOLD_FUNCTION = """
DO $$
DECLARE
    utf8 boolean := (SELECT pg_encoding_to_char(encoding) = 'UTF8'
                     FROM pg_database WHERE datname = current_database());
    -- Schema-qualified: pg_restore computes the generated column with an empty search_path.
    casefold text := quote_ident(current_schema()) || '.praxi_casefold';
    folded text := CASE WHEN utf8 THEN casefold || '(normalize($1, NFC))'
                        ELSE casefold || '($1)' END;
    body text;
BEGIN
    body := 'SELECT replace(replace(replace(replace(replace(replace(replace(replace('
            || folded
            || $q$, 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'),$q$
            || $q$ 'Ä', 'ae'), 'Ö', 'oe'), 'Ü', 'ue'), 'ẞ', 'ss')$q$;
    EXECUTE format(
        'CREATE FUNCTION praxi_search_fold(text) RETURNS text '
        'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L', body);
END $$;
"""

FIELDS = (
    "first_name || ' ' || last_name || ' ' || coalesce(phone, '') || ' ' "
    "|| coalesce(email, '') || ' ' || coalesce(insurance_number, '')"
)
NEW_EXPRESSION = f"praxi_search_fold({FIELDS})"
OLD_EXPRESSION = f"praxi_casefold({FIELDS})"

# As in 0002: the index exists only where pg_trgm could be installed.
TRIGRAM_INDEX = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX ix_patients_search_trgm ON patients USING gin (search_text gin_trgm_ops);
    END IF;
END $$;
"""


def _replace_search_text(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_patients_search_trgm")
    op.drop_column("patients", "search_text")
    op.add_column(
        "patients",
        sa.Column("search_text", sa.Text, sa.Computed(expression, persisted=True), nullable=False),
    )
    op.execute(TRIGRAM_INDEX)


def upgrade() -> None:
    op.execute(FOLD_FUNCTION)
    _replace_search_text(NEW_EXPRESSION)


def downgrade() -> None:
    _replace_search_text(OLD_EXPRESSION)
    op.execute("DROP FUNCTION praxi_search_fold(text)")
