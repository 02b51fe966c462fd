// Placeholder translation unit until the frame codec lands.
