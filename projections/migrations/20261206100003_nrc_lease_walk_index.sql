-- The lease walks each abonnement's pending deliveries in seq order on this index and checks
-- that each is the oldest pending one of its hoofdObject on nrc_deliveries_pending. With
-- statistics taken while nothing was pending (the usual state between bursts) the planner
-- took nrc_deliveries_pending_seq for that check too and filtered every pending row of the
-- abonnement for every candidate. The walk's index now carries a predicate only the walk
-- states (`attempts >= 0`, always true), so the check can only use the hoofdObject index.
DROP INDEX nrc_deliveries_pending_seq;
CREATE INDEX nrc_deliveries_walk ON nrc_deliveries (abonnement, seq)
    WHERE state = 'pending' AND attempts >= 0;
