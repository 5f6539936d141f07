-- rankings of scoring rounds and the nominations proposed from them.

-- how a round ranks (tdkt_core::ranking::RankingConfig as json: tie-breaks
-- and classification bands), set when the round opens; the ranking itself
-- (json list of tdkt_core::ranking::Ranked) is written once, when the round
-- closes, in the same transaction as the close
create table round_rankings (
    round_id integer primary key references scoring_rounds(id),
    config_json text not null,
    ranking_json text,
    ranked_at text
);

-- a unit or person proposed for an award (đề nghị khen thưởng). the dossier
-- workflow takes a nomination over from status 'proposed'; the source round
-- and ballot say where the proposal came from.
create table nominations (
    id integer primary key,
    unit_id integer references org_units(id),
    person_id integer references people(id),
    award_code text not null,
    year integer not null,
    source_round_id integer references scoring_rounds(id),
    source_ballot_id integer references ballots(id),
    status text not null default 'proposed',
    -- json list of vietnamese reasons (rank, score, vote, limits met)
    reasons_json text not null default '[]',
    created_by text not null,
    created_at text not null,
    check (unit_id is not null or person_id is not null)
);
-- a round proposes a unit for an award once
create unique index nominations_round_award_unit
    on nominations(source_round_id, award_code, unit_id);
create index nominations_year on nominations(year, award_code);
