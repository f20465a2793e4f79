-- The webhook lease walks each abonnement's pending deliveries in seq order and counts
-- what it has in flight (projections/src/webhooks/deliver.rs `lease`).
CREATE INDEX nrc_deliveries_pending_seq ON nrc_deliveries (abonnement, seq)
    WHERE state = 'pending';
CREATE INDEX nrc_deliveries_leased ON nrc_deliveries (abonnement)
    WHERE state = 'pending' AND lease_until IS NOT NULL;
