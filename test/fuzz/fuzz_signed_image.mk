fuzz_signed_image_SRCS := policy/signed_image.c
