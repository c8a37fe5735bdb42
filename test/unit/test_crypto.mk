# The monitor's crypto wrappers, linked against the host build of the same
# mbedTLS files the images use (mk/mbedtls.mk).
test_crypto_SRCS := lib/crypto/crypto.c
test_crypto_EXTRA_OBJS := $(MBEDTLS_HOST_OBJS)
