-- where a scoring round takes the indicator figures that formula criteria
-- score: the cluster-year whose pledge the rubric names, and the reporting
-- period (a period code as in indicator_values.period: '2019', '2019-H1').
-- both null for a round whose rubric is scored by hand only.
alter table scoring_rounds add column figures_cluster_id bigint references clusters(id);
alter table scoring_rounds add column figures_period text;
