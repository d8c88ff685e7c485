-- The inbox is pruned by age (Inbox.prune): without this index each prune would scan the whole table.
CREATE INDEX inbox_processed_at ON inbox (processed_at);
