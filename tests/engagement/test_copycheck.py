from commonground.engagement.analysis.copycheck import longest_shared_run, shared_runs


def test_a_six_word_copy_is_found_despite_case_and_punctuation():
    source = "The service went live, in April 2019, after two years of work."
    statement = "We said the Service went live in April 2019 and it worked."
    assert shared_runs(statement, source) == ["the service went live in april 2019"]


def test_a_five_word_overlap_is_not_a_copy():
    source = "people want the same regular care workers every week"
    statement = "people want the same regular staff"
    assert shared_runs(statement, source) == []
    assert longest_shared_run(statement, source) == 5


def test_separate_copied_runs_are_reported_separately():
    source = "one two three four five six. alpha beta gamma delta epsilon zeta"
    statement = "one two three four five six and alpha beta gamma delta epsilon zeta"
    assert shared_runs(statement, source) == [
        "one two three four five six",
        "alpha beta gamma delta epsilon zeta",
    ]


def test_a_statement_with_no_words_in_common_shares_nothing():
    assert longest_shared_run("grants help", "commissioning budgets") == 0
