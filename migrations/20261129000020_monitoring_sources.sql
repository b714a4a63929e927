-- Two more inputs for the influence report. A monitoring parameter may take its values from a
-- numeric question (a scale or a number) of one of the organization's questionnaires: the curator
-- ties them once and fills a measurement from a questionnaire's sending. A pair (or group) may
-- carry the variant of its form («Успевающий – неуспевающий», …), so the report compares variants.
ALTER TABLE monitoring_parameters
    ADD COLUMN questionnaire_id uuid,
    ADD COLUMN question_key text,
    ADD CONSTRAINT monitoring_parameters_questionnaire_fkey FOREIGN KEY (org_id, questionnaire_id)
        REFERENCES questionnaires (org_id, id) ON DELETE SET NULL (questionnaire_id),
    ADD CONSTRAINT monitoring_parameters_source_check
        CHECK ((questionnaire_id IS NULL) OR (question_key IS NOT NULL AND question_key <> ''));

ALTER TABLE pairs
    ADD COLUMN variant_code text REFERENCES form_variants (code);
