-- Login throttling and rate limits (issue 12). The counters live here, not
-- in a server's memory, so that several servers on one database share
-- them; each is changed by one atomic insert … on conflict … returning.
-- Times are milliseconds since the Unix epoch (integers compare and add
-- the same way on both backends).

-- Fixed-window counters: key = what is counted and for whom, e.g.
-- 'login-address:192.0.2.7' or 'search:account:42'.
create table rate_buckets (
    key text primary key,
    window_start bigint not null,
    hits bigint not null
);

-- Consecutive failed sign-ins per username (known or not, so that the
-- answer does not tell which exist), and until when the account is closed.
create table login_backoff (
    username text primary key,
    failures bigint not null,
    blocked_until bigint not null,
    last_failure bigint not null,
    -- random tag of the attempt that last counted: an attempt knows it was
    -- counted (and may check the password) when it reads its own tag back
    claim text not null
);

-- The old per-attempt log (read, then written: not atomic) is replaced by
-- the two tables above; failed sign-ins are logged by the server instead.
drop table login_attempts;
