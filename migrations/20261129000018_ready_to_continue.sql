-- The long-term mentor base: whether a mentor is ready to continue after a program (asked when
-- their pair completes); a new program's «наставники прошлых программ» shows them first.
ALTER TABLE enrolments ADD COLUMN ready_to_continue boolean;
