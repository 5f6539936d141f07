-- the cluster-year whose regulation (quy chế, cluster_settings) governs a
-- ballot or a scoring round: a ballot of a cluster takes its threshold and
-- quorum from the regulation, a round its rubric and proposal limits.
-- null for a ballot or round held outside any cluster, typed by hand.
alter table ballots add column cluster_id integer references clusters(id);
alter table scoring_rounds add column cluster_id integer references clusters(id);
