# monitor/ciee_auth.h is header-only.
test_ciee_auth_SRCS :=
