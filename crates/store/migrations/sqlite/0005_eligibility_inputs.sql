-- inputs of the eligibility engine (issue 6): what the rules need besides
-- the award registry. service periods are the employment_periods of 0001.

-- annual official rating (xếp loại chất lượng / mức độ hoàn thành nhiệm vụ)
-- of a person or a collective, one per subject and year.
create table annual_ratings (
    id integer primary key,
    subject_kind text not null check (subject_kind in ('person', 'unit')),
    person_id integer references people(id),
    unit_id integer references org_units(id),
    year integer not null,
    rating text not null check (rating in ('hoan-thanh-xuat-sac', 'hoan-thanh-tot', 'hoan-thanh', 'khong-hoan-thanh')),
    note text not null default '',
    source text not null check (source in ('entered', 'imported')),
    -- 'p:<id>|<year>' or 'u:<id>|<year>': one rating per subject and year
    subject_key text not null unique,
    created_at text not null,
    check ((subject_kind = 'person') = (person_id is not null)),
    check ((subject_kind = 'unit') = (unit_id is not null))
);
create index annual_ratings_person on annual_ratings(person_id, year);
create index annual_ratings_unit on annual_ratings(unit_id, year);

-- discipline decisions (kỷ luật) against a person.
create table discipline_records (
    id integer primary key,
    person_id integer not null references people(id),
    level text not null check (level in ('khien-trach', 'canh-cao', 'ha-bac-luong', 'giang-chuc', 'cach-chuc', 'buoc-thoi-viec')),
    decision_no text not null,
    decision_date text not null,
    -- the day the discipline takes effect
    effective_on text not null,
    -- how long it runs; null = no fixed term recorded
    months integer,
    reason text not null default '',
    source text not null check (source in ('entered', 'imported')),
    -- person + folded decision number
    dedupe_key text not null unique,
    created_at text not null
);
create index discipline_person on discipline_records(person_id);

-- recognised initiatives and research results (sáng kiến, đề tài…).
create table initiatives (
    id integer primary key,
    person_id integer not null references people(id),
    kind text not null check (kind in ('sang-kien', 'de-tai')),
    title text not null,
    scope text not null check (scope in ('co-so', 'cap-tinh', 'toan-quoc')),
    recognised_on text not null,
    decision_no text not null default '',
    source text not null check (source in ('entered', 'imported')),
    -- person + folded title + recognition date
    dedupe_key text not null unique,
    created_at text not null
);
create index initiatives_person on initiatives(person_id);
