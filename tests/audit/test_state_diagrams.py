from django.core.management import call_command


def test_committed_state_diagrams_match_the_transition_declarations():
    # Fails when a transition is added or changed without regenerating docs/.
    call_command("state_diagrams", "--check")
