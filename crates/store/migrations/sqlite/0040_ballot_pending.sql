-- votes sealed until the close (issue 12, item 4). a vote's participation
-- row and its content were written in one transaction, so whoever could read
-- the database while the vote was open could link them (postgresql: the
-- same xmin; sqlite: neighbouring frames of the wal). a vote now writes its
-- content here, sealed with aes-256-gcm under a per-ballot key derived from
-- the installation key (tdkt.key, never in the database) and padded to one
-- length per ballot; the close opens every sealed vote and writes the
-- contents to ballot_content in random order in its own transaction.
-- id = 16 random bytes (hex); no timestamp, no serial key, no voter id.
create table ballot_pending (
    ballot_id integer not null references ballots(id),
    id text not null,
    -- base64 of nonce and ciphertext of tdkt_core::ballot::Cast as json
    sealed text not null,
    primary key (ballot_id, id)
) without rowid;
