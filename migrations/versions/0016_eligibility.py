"""Who may vote in a space (issue 15): a rule per way of voting, the roll, letter codes,
verifications, and logins at the city's identity provider.

A space that let anyone compare ideas keeps "anyone"; one that asked for an account now asks
for a confirmed one, the least any rule other than "anyone" takes. Quadratic ballots keep
asking for a confirmed account.

Revision ID: 0016_eligibility
Revises: 0015_focus_k
Create Date: 2026-12-03 13:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_eligibility'
down_revision = '0015_focus_k'
branch_labels = None
depends_on = None

RULES = "('anyone', 'confirmed', 'verified')"


def upgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pairwise_rule', sa.String(length=17), server_default='anyone',
                                      nullable=False))
        batch_op.add_column(sa.Column('qv_rule', sa.String(length=17), server_default='confirmed',
                                      nullable=False))
        batch_op.add_column(sa.Column('verification_methods', sa.JSON(),
                                      server_default='["roll", "code"]', nullable=False))
        batch_op.add_column(sa.Column('verified_without_account', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
        batch_op.add_column(sa.Column('roll_fields', sa.JSON(), server_default='[]', nullable=False))
    op.execute("UPDATE spaces SET pairwise_rule = 'confirmed' WHERE NOT anonymous_pairwise")
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_spaces_pairwise_rule'), f"pairwise_rule IN {RULES}")
        batch_op.create_check_constraint(op.f('ck_spaces_qv_rule'), f"qv_rule IN {RULES}")
        batch_op.create_check_constraint(op.f('ck_spaces_qv_needs_a_person'), "qv_rule <> 'anyone'")
        batch_op.drop_column('anonymous_pairwise')

    op.create_table(
        'roll_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('district', sa.String(length=120), nullable=True),
        sa.Column('listed', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_roll_entries_space_id_spaces'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roll_entries')),
        sa.UniqueConstraint('space_id', 'key_hash', name=op.f('uq_roll_entries_space_id')),
    )
    op.create_table(
        'verification_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('batch', sa.String(length=40), nullable=False),
        sa.Column('district', sa.String(length=120), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'],
                                name=op.f('fk_verification_codes_space_id_spaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_codes')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_verification_codes_code_hash')),
    )
    with op.batch_alter_table('verification_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verification_codes_space_id'), ['space_id'], unique=False)
    op.create_table(
        'verifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('voter_id', sa.Integer(), nullable=True),
        sa.Column('method', sa.String(length=12), nullable=False),
        sa.Column('roll_entry_id', sa.Integer(), nullable=True),
        sa.Column('code_id', sa.Integer(), nullable=True),
        sa.Column('verifier_id', sa.Integer(), nullable=True),
        sa.Column('district', sa.String(length=120), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("method IN ('roll', 'code')", name=op.f('ck_verifications_verification_method')),
        sa.CheckConstraint(
            "(method = 'roll') = (roll_entry_id IS NOT NULL) AND (method = 'code') = (code_id IS NOT NULL)",
            name=op.f('ck_verifications_claim_matches_method')),
        sa.ForeignKeyConstraint(['code_id'], ['verification_codes.id'],
                                name=op.f('fk_verifications_code_id_verification_codes'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['roll_entry_id'], ['roll_entries.id'],
                                name=op.f('fk_verifications_roll_entry_id_roll_entries'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_verifications_space_id_spaces'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['verifier_id'], ['users.id'], name=op.f('fk_verifications_verifier_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['voter_id'], ['voters.id'], name=op.f('fk_verifications_voter_id_voters'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_verifications')),
        sa.UniqueConstraint('code_id', name=op.f('uq_verifications_code_id')),
        sa.UniqueConstraint('roll_entry_id', name=op.f('uq_verifications_roll_entry_id')),
        sa.UniqueConstraint('space_id', 'voter_id', name=op.f('uq_verifications_space_id')),
    )
    op.create_table(
        'external_identities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('verifies', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_external_identities_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_external_identities')),
        sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_external_identities_issuer')),
    )
    with op.batch_alter_table('external_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_identities_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('external_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_identities_user_id'))
    op.drop_table('external_identities')
    op.drop_table('verifications')
    with op.batch_alter_table('verification_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verification_codes_space_id'))
    op.drop_table('verification_codes')
    op.drop_table('roll_entries')
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymous_pairwise', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    op.execute("UPDATE spaces SET anonymous_pairwise = (pairwise_rule = 'anyone')")
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_spaces_qv_needs_a_person'), type_='check')
        batch_op.drop_constraint(op.f('ck_spaces_qv_rule'), type_='check')
        batch_op.drop_constraint(op.f('ck_spaces_pairwise_rule'), type_='check')
        batch_op.drop_column('roll_fields')
        batch_op.drop_column('verified_without_account')
        batch_op.drop_column('verification_methods')
        batch_op.drop_column('qv_rule')
        batch_op.drop_column('pairwise_rule')
