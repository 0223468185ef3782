"""Annual review and quality classification (kiểm điểm, đánh giá, xếp loại chất lượng)."""
