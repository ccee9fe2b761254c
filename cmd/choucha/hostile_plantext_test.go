package main

import (
	"bufio"
	"strconv"
)

// planText writes a text plan of lines lines of 8 cells (8 × lines cells): the title (its
// place and year give the plan id), the header, then tasks 1 … lines-2, their 抽查事项
// followed by items.
func planText(lines int, items string) func(w *bufio.Writer) {
	return func(w *bufio.Writer) {
		w.WriteString("长治市2026年度部门联合双随机抽查工作计划\t\t\t\t\t\t\t\n")
		w.WriteString("序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例及频次\t抽查检查起止时间\t发起部门\t抽查检查模式\n")
		for i := 1; i < lines-1; i++ {
			n := strconv.Itoa(i)
			w.WriteString(n + "\t任务" + n + "\t事项" + n + items + "\t本辖区企业\t3%;1次/年\t3月—12月\t市市场监管局\t市抽市查\n")
		}
	}
}
