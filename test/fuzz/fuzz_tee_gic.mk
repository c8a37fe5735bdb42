# A guest TEE's GIC view (policy/tee_gic.c): a hostile TEE's accesses, and
# the CIEE's secure-interrupt selection and list-register bookkeeping.
fuzz_tee_gic_SRCS := policy/tee_gic.c
