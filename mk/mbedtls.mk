# mbedTLS, from Debian's source package (scripts/setup.sh fetches it into
# $(MBEDTLS)): the SHA-256 and HKDF-SHA256 the monitor measures images and
# derives keys with, and the TEE derives its tags with; the ECDSA-P256 the
# monitor verifies the signed boot images with. Only the files
# those need, configured by lib/crypto/mbedtls_config.h (no entropy, no file
# IO, no heap), in two object sets:
#   MBEDTLS_FS_OBJS    freestanding, for the images ($(OUT)/fs/mbedtls/)
#   MBEDTLS_HOST_OBJS  for the host unit tests ($(BUILD)/host/mbedtls/)
# Code that includes mbedTLS headers adds $(MBEDTLS_INC) to its flags.

MBEDTLS := $(BUILD)/src/mbedtls
MBEDTLS_SRCS := sha256.c md.c hkdf.c platform_util.c \
	bignum.c constant_time.c ecp.c ecp_curves.c ecdsa.c asn1parse.c asn1write.c hmac_drbg.c
MBEDTLS_INC := -I$(MBEDTLS)/include -Ilib/crypto -DMBEDTLS_CONFIG_FILE='"mbedtls_config.h"'

# Third-party code: built as it is, without our warning set (like libfdt).
# The shim directory supplies the <assert.h> a freestanding build lacks.
MBEDTLS_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -mgeneral-regs-only \
	-mstrict-align -fno-pie -fno-pic -fno-stack-protector -fno-common \
	-ffunction-sections -fdata-sections $(FS_INC) -Ilib/crypto/mbedtls-shim $(MBEDTLS_INC)
MBEDTLS_FS_OBJS := $(patsubst %.c,$(OUT)/fs/mbedtls/%.o,$(MBEDTLS_SRCS))

$(OUT)/fs/mbedtls/%.o: $(MBEDTLS)/library/%.c lib/crypto/mbedtls_config.h
	@mkdir -p $(dir $@)
	@echo "  CC      mbedtls/$(notdir $<)"
	$(Q)$(CC) $(MBEDTLS_CFLAGS) -c $< -o $@

# Our wrappers (lib/crypto/crypto.c) and the test guest include mbedTLS headers.
$(OUT)/fs/lib/crypto/crypto.o: FS_CFLAGS += $(MBEDTLS_INC)

MBEDTLS_HOST_CFLAGS = -std=gnu11 -O1 -g -fsanitize=address,undefined $(MBEDTLS_INC)
MBEDTLS_HOST_OBJS := $(patsubst %.c,$(BUILD)/host/mbedtls/%.o,$(MBEDTLS_SRCS))

$(BUILD)/host/mbedtls/%.o: $(MBEDTLS)/library/%.c lib/crypto/mbedtls_config.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(MBEDTLS_HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/lib/crypto/crypto.o $(BUILD)/host/test/unit/test_crypto.o: \
	HOST_CFLAGS += $(MBEDTLS_INC)

# The device root key: 32 random bytes, made once per build directory (never
# committed, gone with `make clean`), packed into secure flash with the
# monitor (flash-vtz.bin, flash-native*.bin, monitor/mkflash.py). Both
# gates and the native home share it, so a TEE gets the same key in each.
ROOT_KEY := $(BUILD)/device-root-key.bin
$(ROOT_KEY):
	@mkdir -p $(dir $@)
	@echo "  KEYGEN  $@ (32 random bytes, this build's device root key)"
	$(Q)umask 077 && head -c 32 /dev/urandom >$@.tmp && mv $@.tmp $@
